import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { LumenError } from '../../../../../src/shared/errors';
import { inspectImage } from '../../../../../src/main/engine/image/image-source';

const root = join(import.meta.dirname, '../../../../fixtures/dicom');
const files = ['pydicom', 'radiograph'].flatMap((dir) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.dcm'))
    .map((f) => join(root, dir, f)),
);

/** A fixed pseudo-random sequence, so that a failure can be replayed. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

test('cut short or with bytes overwritten, a DICOM file opens or fails with a LumenError, never anything else', async () => {
  const random = lcg(20261206);
  const foreign: string[] = [];
  for (let i = 0; i < 240; i++) {
    const file = files[Math.floor(random() * files.length)]!;
    const bytes = new Uint8Array(readFileSync(file));
    let damaged: Uint8Array;
    if (random() < 0.4) damaged = bytes.subarray(0, Math.floor(random() * bytes.length));
    else {
      damaged = bytes.slice();
      for (let k = 0; k < 1 + Math.floor(random() * 8); k++) damaged[Math.floor(random() * damaged.length)] = Math.floor(random() * 256);
    }
    try {
      await inspectImage(damaged, 'damaged.dcm');
    } catch (error) {
      if (!(error instanceof LumenError)) foreign.push(`${file} case ${i}: ${String(error)}`);
      else expect(error.message).not.toMatch(/\n/);
    }
  }
  expect(foreign).toEqual([]);
}, 120_000);
