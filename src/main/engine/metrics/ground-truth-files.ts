import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import sharp from 'sharp';
import { z } from 'zod';
import { GroundTruthBox } from '../../../shared/contract/evaluation';
import { LumenError } from '../../../shared/errors';
import { cleanSharpMessage } from '../image/image-errors';
import { parseJsonText } from '../io/json-text';

const BoxesFile = z.union([z.array(GroundTruthBox).min(1), z.object({ boxes: z.array(GroundTruthBox).min(1) }).transform((f) => f.boxes)]);
const boxesHint = 'Give a JSON file like [{"x0": 10, "y0": 20, "x1": 80, "y1": 90}] in pixels of the model input.';
const maskHint = 'Give a PNG the size of the model input, non-zero where the object is.';

/** Why a ground-truth file could not be read: missing, a folder, or unreadable; never its contents. */
function unreadable(what: string, path: string, error: unknown, hint: string): LumenError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new LumenError('not-found', `The ${what} ${path} does not exist.`, 'Check the path.', { path });
  if (code === 'EISDIR') return new LumenError('invalid-argument', `The ${what} ${path} is a folder, not a file.`, hint, { path });
  return new LumenError('invalid-argument', `Cannot read the ${what} ${path} (${code ?? 'unreadable'}).`, 'Check that the file is readable.', { path });
}

/** Ground-truth boxes from a JSON file: [{x0, y0, x1, y1}, ...] or {"boxes": [...]}, in model-input pixels. */
export async function readBoxes(path: string): Promise<z.output<typeof GroundTruthBox>[]> {
  let text: string;
  try {
    text = await readFile(resolve(path), 'utf8');
  } catch (error) {
    throw unreadable('boxes file', path, error, boxesHint);
  }
  // The problem says where the JSON breaks, not what the file holds (JSON.parse quotes it).
  const json = parseJsonText(text);
  if (!json.ok) throw new LumenError('invalid-argument', `The boxes file ${path} ${json.problem}.`, boxesHint, { path });
  const parsed = BoxesFile.safeParse(json.value);
  if (!parsed.success) throw new LumenError('invalid-argument', `${path} is not a list of boxes {x0, y0, x1, y1}.`, boxesHint, { path });
  return parsed.data;
}

/** A mask image (any format sharp reads; non-zero = object), at the model input size. */
export async function readMask(path: string): Promise<{ height: number; width: number; data: Uint8Array }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(resolve(path));
  } catch (error) {
    throw unreadable('mask image', path, error, maskHint);
  }
  try {
    const { data, info } = await sharp(bytes).greyscale().raw().toBuffer({ resolveWithObject: true });
    return { height: info.height, width: info.width, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch (error) {
    throw new LumenError('invalid-argument', `Cannot read the mask image ${path} (${cleanSharpMessage(error)}).`, maskHint, { path });
  }
}
