import { describe, expect, it } from 'vitest';
import { resolveCard, type CardInputs } from '../../../../src/main/engine/model/resolve-card';
import { DataType, type Model } from '../../../../src/main/engine/onnx/ir';
import type { ModelCardFile } from '../../../../src/shared/model-card';
import { tinyClassifier } from '../../../helpers/tiny-models';

function resolve(model: Model, cardFile: ModelCardFile = {}, labels?: string[]): ReturnType<typeof resolveCard> {
  const inputs: CardInputs = { model, fileStem: 'tiny', cardFile, cardPathHint: 'tiny.card.json' };
  if (labels) inputs.labels = { list: labels, source: 'model' };
  return resolveCard(inputs);
}

function errorOf(fn: () => unknown): { code: string; message: string; hint?: string } {
  try {
    fn();
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected an error');
}

describe('resolveCard: what the ONNX file tells', () => {
  it('reads name, layout, size, channels and output of an NCHW model', () => {
    const { card, sources } = resolve(tinyClassifier({ inputShape: ['N', 3, 32, 48] }));
    expect(card.input).toEqual({ name: 'image', layout: 'NCHW', height: 32, width: 48, color: 'RGB' });
    expect(card.output).toEqual({ name: 'scores', kind: 'logits', labels: [] });
    expect(sources).toMatchObject({ 'input.layout': 'model', 'input.height': 'model', 'input.color': 'default', 'preprocess.mean': 'default' });
  });

  it('reads an NHWC model', () => {
    const { card } = resolve(tinyClassifier({ inputShape: [1, 64, 64, 3], layout: 'NHWC' }));
    expect(card.input).toMatchObject({ layout: 'NHWC', height: 64, width: 64 });
  });

  it('recognises a grayscale model and uses unit-range defaults for it', () => {
    const { card, sources } = resolve(tinyClassifier({ inputShape: [1, 1, 28, 28] }));
    expect(card.input.color).toBe('GRAY');
    expect(sources['input.color']).toBe('model');
    expect(card.preprocess).toMatchObject({ mean: [0], std: [1] });
  });

  it('detects a final Softmax: the output holds probabilities', () => {
    const { card, sources } = resolve(tinyClassifier({ inputShape: [1, 3, 8, 8], softmax: true }));
    expect(card.output.kind).toBe('probabilities');
    expect(sources['output.kind']).toBe('model');
  });

  it('defaults a dynamic spatial size to 224 and says so', () => {
    const { card, notes } = resolve(tinyClassifier({ inputShape: ['N', 3, 'H', 'W'] }));
    expect([card.input.height, card.input.width]).toEqual([224, 224]);
    expect(notes.join(' ')).toMatch(/any image size/);
  });

  it('honours ONNX image metadata (pixel format and nominal range)', () => {
    const model = tinyClassifier({ inputShape: [1, 3, 8, 8], metadata: [['Image.BitmapPixelFormat', 'Bgr8'], ['Image.NominalPixelRange', 'NominalRange_0_255']] });
    const { card, sources } = resolve(model);
    expect(card.input.color).toBe('BGR');
    expect(card.preprocess).toMatchObject({ scale: 255, mean: [0, 0, 0], std: [1, 1, 1] });
    expect(sources['preprocess.scale']).toBe('model');
  });

  it('picks the [batch, classes] output among several', () => {
    const model = tinyClassifier({ inputShape: [1, 3, 8, 8], extraOutputs: [{ name: 'features', shape: [1, 3, 8, 8] }] });
    expect(resolve(model).card.output.name).toBe('scores');
  });

  it('takes labels from labels.txt when their count matches', () => {
    expect(resolve(tinyClassifier({ inputShape: [1, 3, 8, 8] }), {}, ['a', 'b', 'c', 'd']).card.output.labels).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('resolveCard: the card file', () => {
  it('overrides defaults and records the card as source', () => {
    const { card, sources } = resolve(tinyClassifier({ inputShape: [1, 3, 8, 8] }), {
      name: 'Chest X-ray triage',
      input: { color: 'BGR' },
      preprocess: { mean: [0.5], std: [0.25], resize: { mode: 'stretch' } },
    });
    expect(card.name).toBe('Chest X-ray triage');
    expect(card.input.color).toBe('BGR');
    expect(card.preprocess).toMatchObject({ mean: [0.5], std: [0.25], resize: { mode: 'stretch' } });
    expect(sources).toMatchObject({ name: 'card', 'input.color': 'card', 'preprocess.mean': 'card' });
  });

  it.each([
    ['a layout the shape contradicts', { input: { layout: 'NHWC' as const } }, 'input.layout', /NCHW/],
    ['a size the shape contradicts', { input: { height: 224 } }, 'input.height', /fixes it to 8/],
    ['a grayscale color for a 3-channel input', { input: { color: 'GRAY' as const } }, 'input.color', /has 3/],
    ['an input name the model lacks', { input: { name: 'pixels' } }, 'input.name', /its inputs: "image"/],
    ['an output name the model lacks', { output: { name: 'probs' } }, 'output.name', /its outputs: "scores"/],
    ['labels of the wrong count', { output: { labels: ['a', 'b'] } }, 'output.labels', /2 labels .* 4 classes/],
    ['a mean with the wrong channel count', { preprocess: { mean: [0.1, 0.2] } }, 'preprocess.mean', /has 2 values/],
  ])('rejects %s, naming the field', (_name, cardFile, field, message) => {
    const error = errorOf(() => resolve(tinyClassifier({ inputShape: [1, 3, 8, 8] }), cardFile as ModelCardFile));
    expect(error.code).toBe('invalid-card');
    expect(error.message).toContain(field);
    expect(error.message).toMatch(message);
  });
});

describe('resolveCard: models Lumen cannot treat as image classifiers', () => {
  it('rejects an input that is not an image tensor', () => {
    const model = tinyClassifier({ inputShape: [1, 3, 8, 8] });
    model.graph.inputs[0]!.shape = [1, 10];
    const error = errorOf(() => resolve(model));
    expect(error.code).toBe('unsupported-model');
    expect(error.message).toMatch(/shape \[1, 10\], which is not an image tensor/);
  });

  it('rejects a 4-channel input', () => {
    const error = errorOf(() => resolve(tinyClassifier({ inputShape: [1, 4, 8, 8] })));
    expect(error).toMatchObject({ code: 'unsupported-model' });
    expect(error.message).toMatch(/4 channels/);
  });

  it('rejects a non-float input', () => {
    const error = errorOf(() => resolve(tinyClassifier({ inputShape: [1, 3, 8, 8], inputType: DataType.UINT8 })));
    expect(error.message).toMatch(/uint8 values/);
  });

  it('asks which input is the image when there are several and no card', () => {
    const model = tinyClassifier({ inputShape: [1, 3, 8, 8], extraInputs: [{ name: 'mask', shape: [1, 1, 8, 8] }] });
    const error = errorOf(() => resolve(model));
    expect(error).toMatchObject({ code: 'unsupported-model' });
    expect(error.message).toMatch(/2 inputs \("image", "mask"\) and no card says which one is the image/);
    expect(error.hint).toMatch(/tiny\.card\.json/);
  });

  it('rejects a model without a class-score output', () => {
    const model = tinyClassifier({ inputShape: [1, 3, 8, 8] });
    model.graph.outputs[0]!.shape = [1, 4, 2, 2];
    expect(errorOf(() => resolve(model)).message).toMatch(/\[batch, classes\] shape/);
  });
});
