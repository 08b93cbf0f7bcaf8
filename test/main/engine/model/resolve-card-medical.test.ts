import { describe, expect, it } from 'vitest';
import { mergeCardFiles } from '../../../../src/main/engine/model/card-file';
import { resolveCard } from '../../../../src/main/engine/model/resolve-card';
import { ModelCardFile } from '../../../../src/shared/model-card';
import { tinyClassifier } from '../../../helpers/tiny-models';

const model = tinyClassifier({ inputShape: [1, 1, 32, 32] });
const resolve = (cardFile: ModelCardFile): ReturnType<typeof resolveCard> => resolveCard({ model, fileStem: 'xray', cardFile, cardPathHint: 'xray.card.json' });

describe("the card's medical preprocessing fields", () => {
  it('are left out of a card that does not set them, so existing cards resolve as before', () => {
    const { card, sources } = resolve({ preprocess: { mean: [0.5], std: [0.25] } });
    expect(Object.keys(card.preprocess).sort()).toEqual(['interpolation', 'mean', 'resize', 'scale', 'std']);
    expect(Object.keys(card.input).sort()).toEqual(['color', 'height', 'layout', 'name', 'width']);
    expect(Object.keys(sources).filter((k) => /window|invert|valueRange|zscore|Photometric/.test(k))).toEqual([]);
  });

  it('are kept with the card as their source', () => {
    const { card, sources } = resolve(
      ModelCardFile.parse({
        input: { acceptsPhotometric: ['MONOCHROME1', 'MONOCHROME2'] },
        preprocess: { window: { source: 'preset', name: 'lung' }, invert: true, valueRange: [-1024, 1024], zscore: false },
      }),
    );
    expect(card.preprocess).toMatchObject({ window: { source: 'preset', name: 'lung' }, invert: true, valueRange: [-1024, 1024], zscore: false });
    expect(card.input.acceptsPhotometric).toEqual(['MONOCHROME1', 'MONOCHROME2']);
    for (const key of ['input.acceptsPhotometric', 'preprocess.window', 'preprocess.invert', 'preprocess.valueRange', 'preprocess.zscore']) expect(sources[key]).toBe('card');
  });

  it.each([
    [{ preprocess: { window: { source: 'preset', name: 'lungs' } } }, ['preprocess', 'window', 'name']],
    [{ preprocess: { window: { source: 'fixed', center: 40, width: 0 } } }, ['preprocess', 'window', 'width']],
    [{ preprocess: { window: { source: 'fixed', center: 40 } } }, ['preprocess', 'window', 'width']],
    [{ preprocess: { window: { source: 'file', center: 40 } } }, ['preprocess', 'window']],
    [{ preprocess: { valueRange: [1024, -1024] } }, ['preprocess', 'valueRange']],
    [{ input: { acceptsPhotometric: ['MONOCHROME3'] } }, ['input', 'acceptsPhotometric', 0]],
    [{ input: { acceptsPhotometric: [] } }, ['input', 'acceptsPhotometric']],
  ])('refuses %j naming the field', (file, path) => {
    const checked = ModelCardFile.safeParse(file);
    expect(checked.success).toBe(false);
    expect(checked.error?.issues[0]?.path).toEqual(path);
  });

  it('a null in an edit clears the field the card had', () => {
    const base = ModelCardFile.parse({ preprocess: { window: { source: 'preset', name: 'bone' }, zscore: true, mean: [0.5] } });
    const merged = mergeCardFiles(base, ModelCardFile.parse({ preprocess: { window: null, zscore: null, invert: true } }));
    expect(merged.preprocess).toEqual({ mean: [0.5], invert: true });
    expect(resolve(merged).card.preprocess.window).toBeUndefined();
  });

  it('a null in a card read directly means the field is not set', () => {
    const { card, sources } = resolve(ModelCardFile.parse({ preprocess: { window: null, valueRange: null } }));
    expect('window' in card.preprocess).toBe(false);
    expect(sources['preprocess.window']).toBeUndefined();
  });
});
