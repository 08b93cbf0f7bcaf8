import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import sharp from 'sharp';
import { z } from 'zod';
import { GroundTruthBox } from '../../shared/contract/evaluation';
import { LumenError } from '../../shared/errors';

const BoxesFile = z.union([z.array(GroundTruthBox).min(1), z.object({ boxes: z.array(GroundTruthBox).min(1) }).transform((f) => f.boxes)]);

/** Ground-truth boxes from a JSON file: [{x0, y0, x1, y1}, ...] or {"boxes": [...]}, in model-input pixels. */
export async function readBoxes(path: string): Promise<z.output<typeof GroundTruthBox>[]> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(resolve(path), 'utf8'));
  } catch (error) {
    throw new LumenError('invalid-argument', `Cannot read the boxes file ${path}: ${(error as Error).message}.`, 'Give a JSON file like [{"x0": 10, "y0": 20, "x1": 80, "y1": 90}].');
  }
  const parsed = BoxesFile.safeParse(value);
  if (!parsed.success) throw new LumenError('invalid-argument', `${path} is not a list of boxes {x0, y0, x1, y1}.`, 'Give a JSON file like [{"x0": 10, "y0": 20, "x1": 80, "y1": 90}] in pixels of the model input.');
  return parsed.data;
}

/** A mask image (any format sharp reads; non-zero = object), at the model input size. */
export async function readMask(path: string): Promise<{ height: number; width: number; data: Uint8Array }> {
  try {
    const { data, info } = await sharp(resolve(path)).greyscale().raw().toBuffer({ resolveWithObject: true });
    return { height: info.height, width: info.width, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch (error) {
    throw new LumenError('invalid-argument', `Cannot read the mask image ${path}: ${(error as Error).message}.`, 'Give a PNG the size of the model input, non-zero where the object is.');
  }
}

