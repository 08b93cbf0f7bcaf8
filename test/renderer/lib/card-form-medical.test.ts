import { describe, expect, it } from 'vitest';
import { cardToForm, formToCard } from '../../../src/renderer/src/lib/state/card-form';
import { mergeCardFiles } from '../../../src/main/engine/model/card-file';
import { ModelCard, ModelCardFile } from '../../../src/shared/model-card';

const base = {
  name: 'CXR',
  input: { name: 'x', layout: 'NCHW' as const, height: 224, width: 224, color: 'GRAY' as const },
  preprocess: { resize: { mode: 'stretch' as const }, interpolation: 'linear' as const, scale: 1, mean: [0], std: [1] },
  output: { name: 'y', kind: 'multilabel-logits' as const, labels: [] },
};
const resolved = (card: object) => ({ card: ModelCard.parse(card), sources: {}, notes: [] });

describe("the card form's medical fields", () => {
  it('round-trip a torchxrayvision-style card', () => {
    const card = { ...base, input: { ...base.input, acceptsPhotometric: ['MONOCHROME2', 'PALETTE COLOR'] }, preprocess: { ...base.preprocess, window: { source: 'preset', name: 'lung' }, valueRange: [-1024, 1024], invert: true } };
    const file = ModelCardFile.parse(formToCard(cardToForm(resolved(card))));
    expect(file.preprocess).toMatchObject({ window: { source: 'preset', name: 'lung' }, valueRange: [-1024, 1024], invert: true, zscore: null });
    expect(file.input?.acceptsPhotometric).toEqual(['MONOCHROME2', 'PALETTE COLOR']);
  });

  it('add nothing to a card without them', () => {
    const file = formToCard(cardToForm(resolved(base)));
    expect(Object.keys(file.preprocess!).sort()).toEqual(['interpolation', 'mean', 'resize', 'scale', 'std']);
    expect(Object.keys(file.input!).sort()).toEqual(['color', 'layout']);
  });

  it('cleared in the form, they are cleared in the saved card', () => {
    const card = { ...base, preprocess: { ...base.preprocess, window: { source: 'fixed', center: 40, width: 400 }, zscore: true } };
    const form = { ...cardToForm(resolved(card)), window: 'none' as const, zscore: false };
    const merged = mergeCardFiles(ModelCardFile.parse({ preprocess: card.preprocess }), ModelCardFile.parse(formToCard(form)));
    expect(merged.preprocess?.window).toBeUndefined();
    expect(merged.preprocess?.zscore).toBeUndefined();
  });

  it('a fixed window typed in the form reaches the schema, which names a bad width', () => {
    const form = { ...cardToForm(resolved(base)), window: 'fixed' as const, windowCenter: '40', windowWidth: '0' };
    const checked = ModelCardFile.safeParse(formToCard(form));
    expect(checked.success).toBe(false);
    expect(checked.error?.issues[0]?.path).toEqual(['preprocess', 'window', 'width']);
    const fixed = ModelCardFile.parse(formToCard({ ...form, windowWidth: '400', acceptsPhotometric: 'monochrome1, MONOCHROME2' }));
    expect(fixed.preprocess?.window).toEqual({ source: 'fixed', center: 40, width: 400 });
    expect(fixed.input?.acceptsPhotometric).toEqual(['MONOCHROME1', 'MONOCHROME2']);
  });
});
