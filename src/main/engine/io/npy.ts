import { randomBytes } from 'node:crypto';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { describeZodError, LumenError } from '../../../shared/errors';
import { oneLine } from './one-line';

/**
 * NumPy's .npy format (numpy.lib.format): a magic string, a version, a header that is a Python
 * dict literal, then the raw C-order data. Attribution maps and masks are exchanged with Python in
 * this format, so files written by numpy.save are read, and what Lumen writes numpy.load reads.
 *
 * Choices:
 * - int64 is held as a BigInt64Array, so no value is silently rounded; toFloat32 converts.
 * - float16 is widened to float32 on read (JavaScript has no float16 array in Node 20).
 * - Big-endian files ('>f4', written on or for big-endian machines) are byte-swapped on read.
 * - Fortran-order files are refused: a transposed reading of a map is the subtle wrong answer
 *   Lumen must never give, and np.ascontiguousarray fixes the file in one call.
 */

export type NpyDtype = 'float16' | 'float32' | 'float64' | 'int32' | 'int64' | 'uint8' | 'bool';

export interface NpyArray {
  dtype: NpyDtype;
  /** Row-major (C order); [] for a 0-d scalar. */
  shape: number[];
  /** float16 and float32 -> Float32Array, float64 -> Float64Array, int64 -> BigInt64Array, uint8 and bool (0/1) -> Uint8Array. */
  data: Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;
}

/** What encodeNpy writes; the dtype follows the data's type, and a Uint8Array may be marked 'bool'. */
export interface NpyInput {
  shape: readonly number[];
  data: Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;
  dtype?: 'uint8' | 'bool';
}

const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

/** Type codes of descr ('<f4' = little-endian, kind f, 4 bytes) Lumen reads. */
const dtypeOfCode: Record<string, { dtype: NpyDtype; size: number }> = {
  f2: { dtype: 'float16', size: 2 },
  f4: { dtype: 'float32', size: 4 },
  f8: { dtype: 'float64', size: 8 },
  i4: { dtype: 'int32', size: 4 },
  i8: { dtype: 'int64', size: 8 },
  u1: { dtype: 'uint8', size: 1 },
  b1: { dtype: 'bool', size: 1 },
};

// numpy itself refuses headers with other keys, so Lumen does too.
const NpyHeader = z.strictObject({
  descr: z.unknown(),
  fortran_order: z.boolean(),
  shape: z.array(z.number().int().nonnegative()),
});

const hostLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Reads a .npy file's bytes. `name` (a path or file name) is only used in error messages. */
export function parseNpy(bytes: Uint8Array, name = 'the data'): NpyArray {
  // Header text and the name come from outside: shown with control characters escaped (one line).
  const invalid = (why: string, hint = 'Write it with numpy.save (a single array, not .npz or a pickle).'): LumenError =>
    new LumenError('invalid-argument', oneLine(`"${name}" is not a valid .npy file: ${why}.`), hint);

  if (bytes.length >= 2 && bytes[0] === 0x50 && bytes[1] === 0x4b) {
    throw invalid('it is a zip archive (an .npz file?)', 'Unpack it (numpy.load(path)[key]) and save the array with numpy.save.');
  }
  // A file cut short (an interrupted copy or save) still starts like a .npy file: say so, rather
  // than that it is not one.
  const truncated = (why: string): LumenError => invalid(`it is truncated: ${why}`, 'The file is incomplete (an interrupted copy or save?); write it again with numpy.save.');
  if (bytes.length === 0) throw invalid('the file is empty');
  if (magic.some((b, i) => i < bytes.length && bytes[i] !== b)) throw invalid('it does not start with the .npy magic string "\\x93NUMPY"');
  if (bytes.length < 10) throw truncated(`it ends after ${bytes.length} bytes, inside the format header`);
  const major = bytes[6]!;
  const minor = bytes[7]!;
  if (![1, 2, 3].includes(major) || minor !== 0) throw invalid(`format version ${major}.${minor} is unknown (Lumen reads 1.0, 2.0 and 3.0)`);

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (major > 1 && bytes.length < 12) throw truncated(`it ends after ${bytes.length} bytes, inside the format header`);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length) throw truncated(`the header is cut short (${headerLength} bytes announced, ${bytes.length - headerStart} present)`);
  // Versions 1 and 2 store the header in latin-1, version 3 in UTF-8.
  const headerText = Buffer.from(bytes.buffer, bytes.byteOffset + headerStart, headerLength).toString(major === 3 ? 'utf8' : 'latin1');

  let literal: unknown;
  try {
    literal = parsePythonLiteral(headerText);
  } catch (error) {
    throw invalid(`the header is not a Python literal (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof literal !== 'object' || literal === null || Array.isArray(literal)) throw invalid('the header is not a dict');
  const parsed = NpyHeader.safeParse(literal);
  if (!parsed.success) throw invalid(`the header is wrong (${describeZodError(parsed.error)})`);
  const header = parsed.data;

  const descr = header.descr;
  const match = typeof descr === 'string' ? /^([<>|])([a-z]\d+)$/.exec(descr) : null;
  const type = match ? dtypeOfCode[match[2]!] : undefined;
  if (!match || !type || (match[1] === '|' && type.size > 1)) {
    const shown = typeof descr === 'string' ? `'${descr}'` : 'a structured dtype';
    throw new LumenError(
      'invalid-argument',
      oneLine(`"${name}" holds ${shown}, which Lumen does not read.`),
      'Save a plain array of float16/32/64, int32/64, uint8 or bool, e.g. numpy.save(path, a.astype(numpy.float32)).',
    );
  }
  if (header.fortran_order) {
    throw new LumenError(
      'invalid-argument',
      oneLine(`"${name}" is stored in Fortran (column-major) order, which Lumen does not read.`),
      'Save it in C order: numpy.save(path, numpy.ascontiguousarray(a)).',
    );
  }

  const shape = header.shape;
  const count = shape.reduce((n, d) => n * d, 1);
  const byteLength = count * type.size;
  if (!Number.isSafeInteger(byteLength)) throw invalid(`the shape ${formatShape(shape)} is too large`);
  const present = bytes.length - dataStart;
  const needs = `shape ${formatShape(shape)} of ${descr as string} needs ${byteLength} bytes of data but the file has ${present}`;
  if (present < byteLength) throw truncated(needs);
  if (present > byteLength) throw invalid(needs, 'The header does not describe the data; write the file again with numpy.save.');

  // Copied into a fresh buffer so the typed arrays below are aligned and own their data (not
  // slice(): on a Node Buffer it is a view into a shared pool).
  const raw = new Uint8Array(byteLength);
  raw.set(bytes.subarray(dataStart, dataStart + byteLength));
  const fileLittleEndian = match[1] !== '>';
  if (type.size > 1 && fileLittleEndian !== hostLittleEndian) swapBytes(raw, type.size);
  return { dtype: type.dtype, shape, data: typedView(raw.buffer, type.dtype, count) };
}

function typedView(buffer: ArrayBuffer, dtype: NpyDtype, count: number): NpyArray['data'] {
  switch (dtype) {
    case 'float16':
      return halfToFloat32(new Uint16Array(buffer, 0, count));
    case 'float32':
      return new Float32Array(buffer, 0, count);
    case 'float64':
      return new Float64Array(buffer, 0, count);
    case 'int32':
      return new Int32Array(buffer, 0, count);
    case 'int64':
      return new BigInt64Array(buffer, 0, count);
    case 'uint8':
      return new Uint8Array(buffer, 0, count);
    case 'bool':
      // numpy writes 0/1; anything else non-zero is still true.
      return new Uint8Array(buffer, 0, count).map((v) => (v !== 0 ? 1 : 0));
  }
}

/** IEEE 754 binary16 -> float32, exact for every value (subnormals, infinities, NaN). */
function halfToFloat32(halves: Uint16Array): Float32Array {
  const out = new Float32Array(halves.length);
  for (let i = 0; i < halves.length; i++) {
    const h = halves[i]!;
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const fraction = h & 0x3ff;
    if (exponent === 0) out[i] = sign * fraction * 2 ** -24;
    else if (exponent === 31) out[i] = fraction ? NaN : sign * Infinity;
    else out[i] = sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
  }
  return out;
}

function swapBytes(bytes: Uint8Array, size: number): void {
  for (let i = 0; i < bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a]!;
      bytes[a] = bytes[b]!;
      bytes[b] = t;
    }
  }
}

/** Python's repr of a shape tuple: (), (3,), (2, 3). */
function formatShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/**
 * The subset of Python literals a .npy header uses: dicts, tuples, lists, quoted strings,
 * integers, True, False, None. Never evaluated as code.
 */
function parsePythonLiteral(text: string): unknown {
  let i = 0;
  const skip = (): void => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const expect = (c: string): void => {
    skip();
    if (text[i] !== c) throw new Error(`expected "${c}" at character ${i}`);
    i++;
  };
  // Items up to `close`, separated by commas, a trailing comma allowed: numpy writes "(3,)" and "{..., }".
  const sequence = <T>(close: string, item: () => T): T[] => {
    const items: T[] = [];
    for (;;) {
      skip();
      if (text[i] === close) {
        i++;
        return items;
      }
      items.push(item());
      skip();
      if (text[i] === ',') i++;
      else if (text[i] !== close) throw new Error(`expected "," or "${close}" at character ${i}`);
    }
  };
  const value = (): unknown => {
    skip();
    const c = text[i];
    if (c === '{') {
      i++;
      return Object.fromEntries(
        sequence('}', () => {
          const key = value();
          if (typeof key !== 'string') throw new Error('a dict key is not a string');
          expect(':');
          return [key, value()] as const;
        }),
      );
    }
    if (c === '(' || c === '[') {
      i++;
      return sequence(c === '(' ? ')' : ']', value);
    }
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw new Error('a string is not closed');
      const s = text.slice(i + 1, end);
      if (s.includes('\\')) throw new Error('escapes in strings are not supported');
      i = end + 1;
      return s;
    }
    const word = /^(-?\d+L?|True|False|None)/.exec(text.slice(i, i + 40));
    if (!word) throw new Error(`unexpected ${c === undefined ? 'end' : `"${c}"`} at character ${i}`);
    i += word[0].length;
    if (word[0] === 'True') return true;
    if (word[0] === 'False') return false;
    if (word[0] === 'None') return null;
    const n = Number(word[0].replace('L', '')); // Python 2 wrote long integers as 3L
    if (!Number.isSafeInteger(n)) throw new Error(`integer ${word[0]} is too large`);
    return n;
  };
  const result = value();
  skip();
  if (i !== text.length) throw new Error(`unexpected text after the literal at character ${i}`);
  return result;
}

/** The .npy bytes of an array: format 1.0, or 2.0 when the header does not fit 1.0's 64 KiB. */
export function encodeNpy(array: NpyInput): Uint8Array {
  const { shape, data } = array;
  if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new LumenError('invalid-argument', `Cannot write a .npy file with shape [${shape.join(', ')}].`, 'Dimensions must be whole numbers of 0 or more.');
  }
  const count = shape.reduce((n, d) => n * d, 1);
  if (count !== data.length) {
    throw new LumenError('invalid-argument', `Cannot write a .npy file: shape ${formatShape(shape)} holds ${count} values but the data has ${data.length}.`, 'Pass the shape that matches the data.');
  }
  const { descr, size } = descrOf(array);
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${formatShape(shape)}, }`;
  // numpy pads the header with spaces and a newline so the data starts on a 64-byte boundary;
  // version 1.0 stores the header length in 16 bits, 2.0 in 32.
  const padded = (prefix: number): string => `${dict}${' '.repeat((64 - ((prefix + dict.length + 1) % 64)) % 64)}\n`;
  const version = padded(10).length <= 0xffff ? 1 : 2;
  const prefix = version === 1 ? 10 : 12;
  const header = padded(prefix);

  const out = new Uint8Array(prefix + header.length + data.length * size);
  out.set(magic);
  out[6] = version;
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(Buffer.from(header, 'latin1'), prefix);

  const body = out.subarray(prefix + header.length);
  if (array.dtype === 'bool') {
    for (let i = 0; i < data.length; i++) body[i] = data[i] ? 1 : 0;
  } else {
    body.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    if (size > 1 && !hostLittleEndian) swapBytes(body, size);
  }
  return out;
}

function descrOf(array: NpyInput): { descr: string; size: number } {
  const { data } = array;
  if (data instanceof Float32Array) return { descr: '<f4', size: 4 };
  if (data instanceof Float64Array) return { descr: '<f8', size: 8 };
  if (data instanceof Int32Array) return { descr: '<i4', size: 4 };
  if (data instanceof BigInt64Array) return { descr: '<i8', size: 8 };
  return { descr: array.dtype === 'bool' ? '|b1' : '|u1', size: 1 };
}

export async function readNpyFile(path: string): Promise<NpyArray> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new LumenError('not-found', `No .npy file at ${path}.`, 'Check the path.', { path });
    if (code === 'EISDIR') throw new LumenError('invalid-argument', `${path} is a folder, not a .npy file.`, 'Give the path of the .npy file inside it.', { path });
    throw new LumenError('invalid-argument', `Could not read ${path} (${(error as Error).message}).`, 'Check that the file is readable.', { path });
  }
  return parseNpy(bytes, path);
}

/**
 * Writes the array next to its destination under a temporary name, then renames it into place,
 * so a reader never sees half a file and a crash never leaves one behind under the real name.
 */
export async function writeNpyFile(path: string, array: NpyInput): Promise<void> {
  const bytes = encodeNpy(array);
  const temporary = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, bytes, { flag: 'wx' });
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw writeError(path, error);
  }
}

/** Why a .npy file could not be written, in the user's terms: the folder, the disk, the permission. */
function writeError(path: string, error: unknown): LumenError {
  const code = (error as NodeJS.ErrnoException).code;
  const details = { path, code: code ?? null };
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new LumenError('not-found', `Cannot write ${path}: its folder does not exist.`, 'Create the folder first, or choose another path.', details);
    case 'ENOSPC':
    case 'EDQUOT':
      return new LumenError('invalid-argument', `Cannot write ${path}: the disk is full.`, 'Free some space on that disk, or write the file somewhere else.', details);
    case 'EROFS':
    case 'EACCES':
    case 'EPERM':
      return new LumenError('invalid-argument', `Cannot write ${path}: the folder is read-only for you.`, 'Choose a folder you can write to.', details);
    case 'EISDIR':
      return new LumenError('invalid-argument', `Cannot write ${path}: it is a folder.`, 'Give a file name ending in .npy.', details);
    default:
      return new LumenError('invalid-argument', `Could not write ${path} (${code ?? (error as Error).message}).`, 'Check that the folder is writable and the disk is not full.', details);
  }
}

/**
 * The values as float32, for maps and tensors. Returns the array's own data (not a copy) when it
 * is already float32, which includes float16 files. int64 values beyond 2^24 lose precision.
 */
export function toFloat32(array: NpyArray): Float32Array {
  const { data } = array;
  if (data instanceof Float32Array) return data;
  if (data instanceof BigInt64Array) return Float32Array.from(data, (v) => Number(v));
  return Float32Array.from(data);
}
