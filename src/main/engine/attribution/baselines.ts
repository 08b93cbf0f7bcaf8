import { LumenError } from '../../../shared/errors';
import { gaussianBlur } from '../image/gaussian-blur';
import { readNpyFile, toFloat32 } from '../io/npy';
import { Rng } from '../random/rng';
import type { PixelSpace } from './pixel-space';

export type BaselineSpec = 'zeros' | 'black' | 'white' | 'uniform-noise' | 'blurred' | string;

/**
 * Turns a baseline name into a tensor row for `input`: zeros in tensor space, or pixel-space
 * presets mapped through the model card.
 */
export async function resolveBaseline(spec: BaselineSpec, input: Float32Array, pixels: PixelSpace, options: { seed: number; blurSigma: number }): Promise<Float32Array> {
  switch (spec) {
    case 'zeros':
      return new Float32Array(input.length);
    case 'black':
      return pixels.constant(0);
    case 'white':
      return pixels.constant(1);
    case 'uniform-noise': {
      const rng = new Rng(options.seed);
      return pixels.fromPixels(Float32Array.from({ length: input.length }, () => rng.uniform()));
    }
    case 'blurred':
      return gaussianBlur(input, pixels.layout, pixels.channels, pixels.height, pixels.width, options.blurSigma);
    default: {
      const rows = await readBaselineRows(spec, input.length);
      if (rows.length !== 1) throw new LumenError('invalid-argument', `${spec} holds ${rows.length} baselines; "baseline" takes one (use "baselines" for several).`);
      return rows[0]!;
    }
  }
}

/** A .npy file of baselines, [B, ...input dims] or a single [...input dims] / [1, ...]. */
export async function readBaselineRows(path: string, rowSize: number): Promise<Float32Array[]> {
  const array = await readNpyFile(path);
  const data = toFloat32(array);
  if (data.length === 0 || data.length % rowSize !== 0) {
    throw new LumenError(
      'invalid-argument',
      `${path} has shape [${array.shape.join(', ')}] (${data.length} values), which is not a whole number of inputs of ${rowSize} values.`,
      'Save baselines as float32 [B, C, H, W] in the model input layout.',
    );
  }
  const rows: Float32Array[] = [];
  for (let i = 0; i < data.length; i += rowSize) rows.push(data.slice(i, i + rowSize));
  for (const row of rows) assertFinite(row, path);
  return rows;
}

export function assertFinite(data: Float32Array, what: string): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) {
      throw new LumenError('invalid-argument', `${what} contains ${Number.isNaN(data[i]!) ? 'NaN' : 'an infinite value'} at element ${i}.`, 'Attributions need finite input values.');
    }
  }
}
