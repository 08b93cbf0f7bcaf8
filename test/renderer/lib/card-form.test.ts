import { describe, expect, it } from 'vitest';
import { ModelCardFile } from '../../../src/shared/model-card';
import { cardToForm, formToCard } from '../../../src/renderer/src/lib/state/card-form';

const resolved = {
  card: {
    name: 'Net',
    input: { name: 'x', layout: 'NCHW' as const, height: 224, width: 224, color: 'RGB' as const },
    preprocess: { resize: { mode: 'center-crop' as const, cropFraction: 0.875 }, interpolation: 'linear' as const, scale: 1, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
    output: { name: 'y', kind: 'logits' as const, labels: ['a', 'b'] },
  },
  sources: {},
  notes: [],
};

describe('the model card form', () => {
  it('round-trips a card through the form into a valid card file', () => {
    const file = formToCard(cardToForm(resolved));
    expect(ModelCardFile.parse(file)).toEqual(file);
    expect(file.preprocess).toEqual({ resize: { mode: 'center-crop', cropFraction: 0.875 }, interpolation: 'linear', scale: 1, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] });
    expect(file.output).toEqual({ kind: 'logits', labels: ['a', 'b'] });
  });
  it('turns a typo in a number into a value the schema rejects, naming the field', () => {
    const form = { ...cardToForm(resolved), std: '0.2, zero, 0.2' };
    const checked = ModelCardFile.safeParse(formToCard(form));
    expect(checked.success).toBe(false);
    expect(checked.error?.issues[0]?.path).toEqual(['preprocess', 'std', 1]);
  });
});
