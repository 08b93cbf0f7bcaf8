import { ModelSummary } from '../../../src/shared/contract/model';

/**
 * A model summary as `models.open` answers it, for component tests whose engine is faked: a tiny
 * logits classifier with the given input size and labels.
 */
export function tinyModelSummary(options: { fileName?: string; sha256?: string; builtIn?: boolean; size?: number; labels?: string[] } = {}): ModelSummary {
  const size = options.size ?? 8;
  return ModelSummary.parse({
    id: 'm1',
    fileName: options.fileName ?? 'model.onnx',
    sha256: options.sha256 ?? 'abc',
    sizeBytes: 1,
    builtIn: options.builtIn ?? true,
    card: {
      card: {
        name: 'tiny',
        input: { name: 'x', layout: 'NCHW', height: size, width: size, color: 'RGB' },
        preprocess: { resize: { mode: 'stretch' }, interpolation: 'linear', scale: 1, mean: [0], std: [1] },
        output: { name: 'y', kind: 'logits', labels: options.labels ?? ['a', 'b'] },
      },
      sources: {},
      notes: [],
    },
    inputs: [],
    outputs: [],
    executionProvider: { requested: 'cpu', used: 'cpu' },
    loadMs: 1,
  });
}
