import { readFileSync } from 'node:fs';
import { parseNpy, toFloat32 } from '../../src/main/engine/io/npy';

/** test/fixtures/, where the committed reference arrays and models live. */
export const fixturesRoot = new URL('../fixtures/', import.meta.url);

/** A committed .npy reference (path under test/fixtures/) as float32, with its shape. */
export function fixtureNpy(path: string): { data: Float32Array; shape: number[] } {
  const array = parseNpy(new Uint8Array(readFileSync(new URL(path, fixturesRoot))), path);
  return { data: toFloat32(array), shape: array.shape };
}

/** ||actual - expected|| / ||expected||: how the numerical tests compare a map with its reference. */
export function relativeL2(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} != ${expected.length}`);
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < expected.length; i++) {
    diff += (actual[i]! - expected[i]!) ** 2;
    norm += expected[i]! ** 2;
  }
  return Math.sqrt(diff / Math.max(norm, 1e-30));
}
