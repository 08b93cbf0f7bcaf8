import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseNpy, type NpyArray } from '../../../../src/main/engine/io/npy';

const dir = join(import.meta.dirname, '../../../fixtures/segmentation');

/** A gzipped .npy fixture written by tools/fixtures/make_segmentation_fixtures.py. */
export function segmentationFixture(name: string): NpyArray {
  return parseNpy(gunzipSync(readFileSync(join(dir, `${name}.npy.gz`))), name);
}

export const fixtureSamples = ['coffee', 'astronaut', 'retina'] as const;

/** The sample as scikit-image saw it for Felzenszwalb: uint8 min-max scaled to [-1, 1] in float32. */
export function samplePixels(name: string): { data: Float32Array; width: number; height: number; channels: number } {
  const image = segmentationFixture(`${name}.image`);
  const raw = Float32Array.from(image.data as Uint8Array);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of raw) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const [height, width, channels] = image.shape as [number, number, number];
  return { data: raw.map((v) => Math.fround(Math.fround(Math.fround(Math.fround(v - lo) / Math.fround(hi - lo)) * 2) - 1)), width, height, channels };
}
