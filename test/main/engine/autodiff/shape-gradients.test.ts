import fc from 'fast-check';
import { describe, it } from 'vitest';
import { rng } from '../../../helpers/gradient-check';
import { expectGradient, type GradientCase } from '../../../helpers/gradient-check-f64';

/**
 * Reductions, axis and shape operators on random shapes, axes and bounds, in every input form the
 * rules accept (attributes before opset 13/18, constant inputs after). Each property run draws a
 * seed; the case is built from it, so a failure names its seed and the case it made.
 */
type Draw = () => number;
const int = (r: Draw, low: number, high: number): number => low + Math.floor(r() * (high - low + 1));
const pick = <T>(r: Draw, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
const dimsOf = (r: Draw, minRank = 1, maxRank = 4): number[] => Array.from({ length: int(r, minRank, maxRank) }, () => int(r, 1, 3));
/** A random axis, written negative half the time (both forms are valid ONNX). */
const axisForm = (r: Draw, axis: number, rank: number): number => (r() < 0.5 ? axis - rank : axis);

function shuffled(r: Draw, n: number): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

const reductions = ['ReduceSum', 'ReduceMean', 'ReduceMax', 'ReduceMin', 'ReduceL1', 'ReduceL2', 'ReduceSumSquare', 'ReduceLogSumExp'] as const;

const builders: Record<string, (r: Draw) => GradientCase> = {
  reductions: (r) => {
    const op = pick(r, reductions);
    const x = dimsOf(r);
    const opset = pick(r, [13, 18]);
    const axes = shuffled(r, x.length)
      .slice(0, int(r, 0, x.length))
      .map((a) => axisForm(r, a, x.length));
    const asInput = opset >= 18 || op === 'ReduceSum';
    const attrs: GradientCase['attrs'] = { keepdims: int(r, 0, 1) };
    if (asInput && axes.length === 0 && r() < 0.5) attrs['noop_with_empty_axes'] = 1;
    if (!asInput && axes.length > 0) attrs['axes'] = axes;
    const values = op === 'ReduceMax' || op === 'ReduceMin' || op === 'ReduceL1' ? 'spaced' : 'random';
    return { op, x, opset, attrs, values, inputs: asInput ? ['x', { ints: axes, dims: [axes.length] }] : ['x'] };
  },
  Transpose: (r) => {
    const x = dimsOf(r, 1, 5);
    return { op: 'Transpose', x, attrs: { perm: shuffled(r, x.length) } };
  },
  'Softmax and LogSoftmax': (r) => {
    const x = dimsOf(r, 1, 3);
    return { op: pick(r, ['Softmax', 'LogSoftmax']), x, attrs: { axis: axisForm(r, int(r, 0, x.length - 1), x.length) } };
  },
  Slice: (r) => {
    const x = dimsOf(r).map((d) => d + 1);
    const axes = shuffled(r, x.length).slice(0, int(r, 1, x.length));
    // Bounds drawn past both ends and negative, as exporters write them; clamped by Slice.
    const steps = axes.map(() => pick(r, [-3, -2, -1, 1, 2, 3]));
    const starts = axes.map((a) => int(r, -x[a]! - 1, x[a]! - 1));
    // An end beyond the start in the step's direction (after clamping), so no slice is empty.
    const ends = axes.map((a, i) => {
      const size = x[a]!;
      const from = Math.min(Math.max(starts[i]! < 0 ? starts[i]! + size : starts[i]!, 0), steps[i]! > 0 ? size : size - 1);
      if (steps[i]! > 0) {
        const end = int(r, from + 1, size);
        return pick(r, [end < size && r() < 0.5 ? end - size : end, 2 ** 31]);
      }
      const end = int(r, -1, from - 1);
      return pick(r, [end >= 0 && r() < 0.5 ? end - size : end === -1 ? -(2 ** 40) : end, -(2 ** 31)]);
    });
    return { op: 'Slice', x, inputs: ['x', { ints: starts }, { ints: ends }, { ints: axes.map((a) => axisForm(r, a, x.length)) }, { ints: steps }] };
  },
  'Pad, every mode': (r) => {
    const x = dimsOf(r, 2, 4).map((d) => d + 1);
    const mode = pick(r, ['constant', 'reflect', 'edge']);
    // Reflect needs pads below the axis size; a crop (negative pad) leaves at least one element.
    const side = (size: number): number => (mode === 'constant' ? int(r, -Math.floor((size - 1) / 2), 2) : int(r, 0, Math.min(2, size - 1)));
    const pads = [...x.map(side), ...x.map(side)];
    return { op: 'Pad', x, inputs: ['x', { ints: pads }], attrs: { mode }, opset: 18 };
  },
  'Split, sizes or num_outputs': (r): GradientCase => {
    const x = dimsOf(r, 1, 3).map((d) => d + 2);
    const axis = int(r, 0, x.length - 1);
    if (r() < 0.5) {
      // Parts of ceil(size / n), the last one smaller but not empty.
      const n = pick(r, [2, 3].filter((k) => Math.ceil(x[axis]! / k) * (k - 1) < x[axis]!));
      return { op: 'Split', x, attrs: { axis: axisForm(r, axis, x.length), num_outputs: n }, outputs: n, opset: 18 };
    }
    const first = int(r, 1, x[axis]! - 1);
    return { op: 'Split', x, inputs: ['x', { ints: [first, x[axis]! - first] }], attrs: { axis }, outputs: 2, opset: 13 };
  },
  Tile: (r) => {
    const x = dimsOf(r);
    return { op: 'Tile', x, inputs: ['x', { ints: x.map(() => int(r, 1, 3)) }] };
  },
  'Concat of x and a constant': (r) => {
    const x = dimsOf(r);
    const axis = int(r, 0, x.length - 1);
    const other = x.map((d, i) => (i === axis ? int(r, 1, 3) : d));
    const c = { floats: Array.from({ length: other.reduce((a, b) => a * b, 1) }, () => r()), dims: other };
    return { op: 'Concat', x, inputs: r() < 0.5 ? ['x', c, 'x'] : [c, 'x'], attrs: { axis: axisForm(r, axis, x.length) } };
  },
  'Gather, repeated and negative indices': (r) => {
    const x = dimsOf(r, 1, 3).map((d) => d + 1);
    const axis = int(r, 0, x.length - 1);
    const count = int(r, 1, 4);
    const indices = Array.from({ length: count }, () => int(r, -x[axis]!, x[axis]! - 1));
    return { op: 'Gather', x, inputs: ['x', { ints: indices, dims: r() < 0.3 && count === 1 ? [] : [count] }], attrs: { axis: axisForm(r, axis, x.length) } };
  },
  'GatherElements and GatherND': (r) => {
    const x = dimsOf(r, 2, 3).map((d) => d + 1);
    if (r() < 0.5) {
      const axis = int(r, 0, x.length - 1);
      const shape = x.map((d, i) => (i === axis ? int(r, 1, 4) : int(r, 1, d)));
      const indices = Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => int(r, -x[axis]!, x[axis]! - 1));
      return { op: 'GatherElements', x, inputs: ['x', { ints: indices, dims: shape }], attrs: { axis } };
    }
    const depth = int(r, 1, x.length);
    const rows = int(r, 1, 4);
    const indices = Array.from({ length: rows * depth }, (_, i) => int(r, 0, x[i % depth]! - 1));
    return { op: 'GatherND', x, inputs: ['x', { ints: indices, dims: [rows, depth] }] };
  },
  'ScatterND into x and of x, distinct indices': (r) => {
    const data = dimsOf(r, 1, 3).map((d) => d + 1);
    const rows = shuffled(r, data[0]!).slice(0, int(r, 1, data[0]!));
    const updates = [rows.length, ...data.slice(1)];
    const values = { floats: Array.from({ length: updates.reduce((a, b) => a * b, 1) }, () => r()), dims: updates };
    const indices = { ints: rows, dims: [rows.length, 1] };
    const reduction = pick(r, ['none', 'add']);
    const dataConst = { floats: Array.from({ length: data.reduce((a, b) => a * b, 1) }, () => r()), dims: data };
    return r() < 0.5
      ? { op: 'ScatterND', x: data, inputs: ['x', indices, values], attrs: { reduction }, opset: 16 }
      : { op: 'ScatterND', x: updates, inputs: [dataConst, indices, 'x'], attrs: { reduction }, opset: 16 };
  },
  'Einsum, random equations of one or two operands': (r) => {
    // Letters with sizes; each operand a random arrangement of some of them; the output a random
    // subset of their union (letters left out are summed, some in one operand only).
    const letters = 'abcde'.slice(0, int(r, 1, 5));
    const size = new Map([...letters].map((l) => [l, int(r, 1, 3)]));
    const term = (): string => shuffled(r, letters.length).slice(0, int(r, 1, letters.length)).map((i) => letters[i]!).join('');
    const xTerm = term();
    const other = r() < 0.8 ? term() : undefined;
    const union = [...new Set([...xTerm, ...(other ?? '')])];
    const output = shuffled(r, union.length).slice(0, int(r, 0, union.length)).map((i) => union[i]!).join('');
    const dims = (t: string): number[] => [...t].map((l) => size.get(l)!);
    if (!other) return { op: 'Einsum', x: dims(xTerm), attrs: { equation: `${xTerm}->${output}` } };
    const c = { floats: Array.from({ length: dims(other).reduce((a, b) => a * b, 1) }, () => 2 * r() - 1), dims: dims(other) };
    return r() < 0.5
      ? { op: 'Einsum', x: dims(xTerm), inputs: ['x', c], attrs: { equation: `${xTerm},${other}->${output}` } }
      : { op: 'Einsum', x: dims(xTerm), inputs: [c, 'x'], attrs: { equation: `${other},${xTerm}->${output}` } };
  },
};

describe('axis and shape operators on random shapes and forms', () => {
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
