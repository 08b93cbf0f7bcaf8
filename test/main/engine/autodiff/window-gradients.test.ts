import fc from 'fast-check';
import { describe, it } from 'vitest';
import { rng } from '../../../helpers/gradient-check';
import { expectGradient, type GradientCase } from '../../../helpers/gradient-check-f64';

/**
 * Sliding windows (Conv, ConvTranspose, pooling) on random geometry, 1-D to 3-D, and the
 * normalisations on random axes and groups. onnxruntime has float32 kernels only for the windowed
 * operators, so those run in float32; the normalisations in float64.
 */
type Draw = () => number;
const int = (r: Draw, low: number, high: number): number => low + Math.floor(r() * (high - low + 1));
const pick = <T>(r: Draw, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
const weights = (r: Draw, dims: number[], scale = 1): { floats: number[]; dims: number[] } => ({
  floats: Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => scale * (2 * r() - 1)),
  dims,
});

interface Window {
  input: number[];
  kernel: number[];
  strides: number[];
  dilations: number[];
  pads: number[];
}

/** Random window geometry in `n` spatial dims whose output has at least one position. */
function window(r: Draw, n: number, maxPad: (k: number) => number): Window {
  const kernel = Array.from({ length: n }, () => int(r, 1, 3));
  const dilations = kernel.map(() => int(r, 1, 2));
  const strides = kernel.map(() => int(r, 1, 2));
  const pads = [...kernel, ...kernel].map((k) => int(r, 0, maxPad(k)));
  const input = kernel.map((k, i) => {
    const reach = (k - 1) * dilations[i]! + 1 - pads[i]! - pads[n + i]!;
    return Math.max(reach, 1) + int(r, 0, n === 3 ? 2 : 4);
  });
  return { input, kernel, strides, dilations, pads };
}

const builders: Record<string, (r: Draw) => GradientCase> = {
  Conv: (r) => {
    const n = int(r, 1, 3);
    const geo = window(r, n, (k) => k);
    const group = pick(r, [1, 2]);
    const perGroup = int(r, 1, 2);
    const outputs = group * int(r, 1, 2);
    const bias = r() < 0.5 ? [weights(r, [outputs])] : [];
    return {
      op: 'Conv',
      x: [1, group * perGroup, ...geo.input],
      inputs: ['x', weights(r, [outputs, perGroup, ...geo.kernel], 0.5), ...bias],
      attrs: { strides: geo.strides, dilations: geo.dilations, pads: geo.pads, group },
      float32: true,
    };
  },
  // Stride 1 is differentiated by a Conv with flipped, transposed weights (not a ConvTranspose).
  'Conv, stride 1, groups and dilations': (r) => {
    const n = int(r, 1, 3);
    const geo = { ...window(r, n, (k) => k), strides: new Array<number>(n).fill(1) };
    const group = pick(r, [1, 2, 3]);
    const perGroup = int(r, 1, 2);
    const outputs = group * int(r, 1, 2);
    return {
      op: 'Conv',
      x: [1, group * perGroup, ...geo.input],
      inputs: ['x', weights(r, [outputs, perGroup, ...geo.kernel], 0.5)],
      attrs: { strides: geo.strides, dilations: geo.dilations, pads: geo.pads, group },
      float32: true,
    };
  },
  'ConvTranspose': (r) => {
    const n = int(r, 1, 2);
    const geo = window(r, n, () => 0);
    const channels = int(r, 1, 3);
    // Pads and output_padding below the stride (and dilation), as ONNX requires.
    const pads = [...geo.kernel, ...geo.kernel].map((k) => int(r, 0, k - 1));
    const outputPadding = geo.strides.map((s, i) => int(r, 0, Math.min(s, geo.dilations[i]!) - 1));
    return {
      op: 'ConvTranspose',
      x: [1, channels, ...geo.kernel.map(() => int(r, 2, 4))],
      inputs: ['x', weights(r, [channels, int(r, 1, 2), ...geo.kernel], 0.5)],
      attrs: { strides: geo.strides, dilations: geo.dilations, pads, output_padding: outputPadding },
      float32: true,
    };
  },
  'MaxPool and AveragePool': (r) => {
    const n = int(r, 1, 3);
    const geo = window(r, n, (k) => k - 1);
    const op = pick(r, ['MaxPool', 'AveragePool']);
    // ceil_mode only where the extra window starts inside the (left-padded) input: where it would
    // not, onnxruntime's shape inference and its kernel disagree about the output size.
    const extraInside = geo.kernel.every((k, i) => {
      const effective = (k - 1) * (op === 'MaxPool' ? geo.dilations[i]! : 1) + 1;
      const out = Math.ceil((geo.input[i]! + geo.pads[i]! + geo.pads[n + i]! - effective) / geo.strides[i]!) + 1;
      return (out - 1) * geo.strides[i]! < geo.input[i]! + geo.pads[i]!;
    });
    const ceil = extraInside ? int(r, 0, 1) : 0;
    const attrs: GradientCase['attrs'] = { kernel_shape: geo.kernel, strides: geo.strides, pads: geo.pads, ceil_mode: ceil };
    if (op === 'MaxPool') attrs['dilations'] = geo.dilations;
    else attrs['count_include_pad'] = int(r, 0, 1);
    return { op, x: [1, int(r, 1, 2), ...geo.input], attrs, values: 'spaced', float32: true };
  },
  'LayerNormalization, random axis, with or without bias': (r) => {
    const x = Array.from({ length: int(r, 2, 4) }, () => int(r, 1, 3));
    const axis = int(r, 1, x.length - 1);
    const normalised = x.slice(axis);
    const bias = r() < 0.5 ? [weights(r, normalised)] : [];
    return { op: 'LayerNormalization', x, inputs: ['x', weights(r, normalised), ...bias], attrs: { axis: r() < 0.5 ? axis - x.length : axis } };
  },
  'GroupNormalization (opset 18)': (r) => {
    const groups = int(r, 1, 3);
    const x = [2, groups * int(r, 1, 2), ...Array.from({ length: int(r, 1, 2) }, () => int(r, 1, 3))];
    return { op: 'GroupNormalization', x, inputs: ['x', weights(r, [groups]), weights(r, [groups])], attrs: { num_groups: groups }, opset: 18 };
  },
};

describe('windowed operators and normalisations on random geometry', () => {
  for (const [name, build] of Object.entries(builders)) {
    it(name, async () => {
      await fc.assert(
        fc.asyncProperty(fc.nat(), async (seed) => {
          const c = build(rng(seed + 1));
          await expectGradient(c).catch((e: unknown) => {
            throw new Error(`${JSON.stringify(c)}: ${String(e)}`);
          });
        }),
        { seed: 15, numRuns: 16 },
      );
    });
  }
});
