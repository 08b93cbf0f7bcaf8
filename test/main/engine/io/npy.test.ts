import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNpy, parseNpy, readNpyFile, toFloat32, writeNpyFile, type NpyInput } from '../../../../src/main/engine/io/npy';
import { LumenError } from '../../../../src/shared/errors';

// Written by numpy itself: tools/fixtures/make_npy_fixtures.py.
const fixtures = join(import.meta.dirname, '../../../fixtures/npy');
const fixture = (name: string): Promise<ReturnType<typeof parseNpy>> => readNpyFile(join(fixtures, name));

const python = '/usr/bin/python3';
const hasNumpy = spawnSync(python, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;

/** Expects a LumenError with this code whose message matches. */
function expectError(run: () => unknown, code: string, message: RegExp): LumenError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(LumenError);
    const e = error as LumenError;
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
    expect(e.hint).toBeTruthy();
    return e;
  }
  throw new Error('expected an error');
}

/** A .npy file with this header text and data, for malformed cases numpy would never write. */
function handMade(dict: string, data = new Uint8Array(0), version = 1): Uint8Array {
  const prefix = version === 1 ? 10 : 12;
  const header = new TextEncoder().encode(`${dict}\n`);
  const out = new Uint8Array(prefix + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(header, prefix);
  out.set(data, prefix + header.length);
  return out;
}

describe('parseNpy on files numpy wrote', () => {
  it('float32, 3-d, C order', async () => {
    const a = await fixture('float32.npy');
    expect(a.dtype).toBe('float32');
    expect(a.shape).toEqual([2, 3, 4]);
    expect(a.data).toBeInstanceOf(Float32Array);
    expect(Array.from(a.data as Float32Array)).toEqual(Array.from({ length: 24 }, (_, i) => i * 0.5 - 3));
  });

  it('float16 is widened exactly to float32, subnormals, signed zero, inf and nan included', async () => {
    const a = await fixture('float16.npy');
    expect(a.dtype).toBe('float16');
    expect(a.shape).toEqual([3, 3]);
    const v = Array.from(a.data as Float32Array);
    expect(v.slice(0, 8)).toEqual([0, 1, -2.5, 65504, 2 ** -24, -0, Infinity, -Infinity]);
    expect(Object.is(v[5], -0)).toBe(true);
    expect(v[8]).toBeNaN();
  });

  it('float64 keeps full precision, denormals included', async () => {
    const a = await fixture('float64.npy');
    expect(a.dtype).toBe('float64');
    expect(Array.from(a.data as Float64Array)).toEqual([1 / 3, -1e300, 5e-324]);
  });

  it('int32 and int64 (as BigInt64Array, exact beyond 2^53)', async () => {
    const i32 = await fixture('int32.npy');
    expect(i32.data).toBeInstanceOf(Int32Array);
    expect(Array.from(i32.data as Int32Array)).toEqual([-2147483648, 0, 7, 2147483647]);
    const i64 = await fixture('int64.npy');
    expect(i64.dtype).toBe('int64');
    expect(Array.from(i64.data as BigInt64Array)).toEqual([0n, -1n, 2n ** 53n + 1n, -(2n ** 63n), 2n ** 63n - 1n]);
  });

  it('uint8 and bool', async () => {
    const u8 = await fixture('uint8.npy');
    expect(u8).toMatchObject({ dtype: 'uint8', shape: [1, 3] });
    expect(Array.from(u8.data as Uint8Array)).toEqual([0, 127, 255]);
    const b = await fixture('bool.npy');
    expect(b).toMatchObject({ dtype: 'bool', shape: [4] });
    expect(Array.from(b.data as Uint8Array)).toEqual([1, 0, 1, 1]);
  });

  it('byte-swaps big-endian float32, float16 and int64', async () => {
    expect(Array.from((await fixture('bigendian-f4.npy')).data as Float32Array)).toEqual([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5]);
    const f2 = await fixture('bigendian-f2.npy');
    expect(f2.dtype).toBe('float16');
    expect(Array.from(f2.data as Float32Array)).toEqual([1.5, -0.25, 65504]);
    expect(Array.from((await fixture('bigendian-i8.npy')).data as BigInt64Array)).toEqual([1n, -2n, 2n ** 40n + 3n]);
  });

  it('a 0-d scalar has shape [] and one value', async () => {
    const a = await fixture('scalar.npy');
    expect(a.shape).toEqual([]);
    expect(Array.from(a.data as Float32Array)).toEqual([3.5]);
  });

  it('a shape with a zero dimension has no data', async () => {
    const a = await fixture('zero-dim.npy');
    expect(a.shape).toEqual([3, 0, 2]);
    expect(a.data.length).toBe(0);
  });

  it('format versions 2.0 and 3.0', async () => {
    const v2 = await fixture('version2.npy');
    expect(v2).toMatchObject({ dtype: 'float32', shape: [3, 2] });
    expect(Array.from(v2.data as Float32Array)).toEqual([0, 1, 2, 3, 4, 5]);
    const v3 = await fixture('version3.npy');
    expect(Array.from(v3.data as Float64Array)).toEqual([0, 1, 2, 3]);
  });

  it('refuses Fortran order, saying to save in C order', async () => {
    const bytes = await readFile(join(fixtures, 'fortran.npy'));
    const e = expectError(() => parseNpy(bytes, 'fortran.npy'), 'invalid-argument', /"fortran\.npy" is stored in Fortran \(column-major\) order/);
    expect(e.hint).toMatch(/ascontiguousarray/);
  });

  it('refuses unsupported dtypes by name', async () => {
    expectError(() => parseNpy(new Uint8Array(0), 'x'), 'invalid-argument', /not a valid/); // sanity: the helper works
    const complex = await readFile(join(fixtures, 'complex64.npy'));
    expectError(() => parseNpy(complex, 'c.npy'), 'invalid-argument', /"c\.npy" holds '<c8', which Lumen does not read/);
    const structured = await readFile(join(fixtures, 'structured.npy'));
    expectError(() => parseNpy(structured, 's.npy'), 'invalid-argument', /holds a structured dtype/);
  });
});

describe('parseNpy on malformed files', () => {
  const good = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
  const twoFloats = new Uint8Array(new Float32Array([1, 2]).buffer);

  it('accepts the hand-made baseline', () => {
    expect(Array.from(parseNpy(handMade(good, twoFloats)).data as Float32Array)).toEqual([1, 2]);
  });

  it.each([
    ['bad magic', new TextEncoder().encode('NOTNUMPY0123456789'), /does not start with the \.npy magic/],
    ['empty', new Uint8Array(0), /the file is empty/],
    ['cut inside the magic string', new Uint8Array([0x93, 0x4e]), /it is truncated: it ends after 2 bytes, inside the format header/],
    ['cut after the version', handMade(good, twoFloats).subarray(0, 8), /it is truncated: it ends after 8 bytes/],
    ['cut inside a 2.0 length', handMade(good, twoFloats, 2).subarray(0, 11), /it is truncated: it ends after 11 bytes/],
    ['a zip archive', new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0]), /zip archive/],
    ['unknown version', (() => { const b = handMade(good, twoFloats); b[6] = 4; return b; })(), /format version 4\.0 is unknown/],
    ['truncated header', handMade(good, twoFloats).subarray(0, 30), /it is truncated: the header is cut short \(\d+ bytes announced, 20 present\)/],
    ['header not a dict', handMade('[1, 2]'), /header is not a dict/],
    ['header not a literal', handMade("{'descr': <f4}"), /not a Python literal/],
    ['missing key', handMade("{'descr': '<f4', 'shape': (2,)}", twoFloats), /header is wrong \(fortran_order/],
    ['extra key', handMade("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}", twoFloats), /header is wrong/],
    ['negative dimension', handMade("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}", twoFloats), /header is wrong \(shape/],
    ['truncated data', handMade(good, twoFloats.subarray(0, 6)), /it is truncated: shape \(2,\) of <f4 needs 8 bytes of data but the file has 6/],
    ['extra data', handMade(good, new Uint8Array(12)), /needs 8 bytes of data but the file has 12/],
  ])('%s', (_label, bytes, message) => {
    expectError(() => parseNpy(bytes, 'm.npy'), 'invalid-argument', new RegExp(`^"m\\.npy" is not a valid \\.npy file: .*${message.source}`));
  });

  it('text from the header is shown on one line, control characters escaped (found by fuzzing)', () => {
    const error = expectError(() => parseNpy(handMade("{'descr': '<f4', 'fortran_order': False, '\n\u0000shape': (2,), }", twoFloats), 'm.npy'), 'invalid-argument', /header is wrong/);
    expect(error.message).not.toMatch(/[\n\u0000]/);
    expect(error.message).toContain('Unrecognized key: "\\n\\u0000shape"');
    const dtype = expectError(() => parseNpy(handMade("{'descr': '<f4\r\n', 'fortran_order': False, 'shape': (2,), }", twoFloats), 'm.npy'), 'invalid-argument', /which Lumen does not read/);
    expect(dtype.message).toBe(`"m.npy" holds '<f4\\r\\n', which Lumen does not read.`);
  });

  it('a file cut short says so, names the file and says to write it again', () => {
    const whole = encodeNpy({ shape: [4, 4], data: new Float32Array(16) });
    for (const length of [3, 9, 40, whole.length - 1]) {
      const error = expectError(() => parseNpy(whole.subarray(0, length), '/data/x.npy'), 'invalid-argument', /it is truncated: /);
      expect(error.message).toMatch(/^"\/data\/x\.npy" is not a valid \.npy file: it is truncated: /);
      expect(error.hint).toMatch(/write it again with numpy\.save/);
    }
  });

  it('reads a hand-made version 2.0 header and a Python 2 long in the shape', () => {
    const a = parseNpy(handMade("{'descr': '<f4', 'fortran_order': False, 'shape': (2L,), }", twoFloats, 2));
    expect(a.shape).toEqual([2]);
  });

  it('reads from a Uint8Array that is a view at an odd offset', () => {
    const bytes = handMade(good, twoFloats);
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    expect(Array.from(parseNpy(padded.subarray(3)).data as Float32Array)).toEqual([1, 2]);
  });
});

describe('encodeNpy', () => {
  const cases: [string, NpyInput][] = [
    ['float32', { shape: [2, 3], data: new Float32Array([1.5, -2, 0, 3e38, -1e-30, 7]) }],
    ['float64', { shape: [3], data: new Float64Array([1 / 3, -1e300, 5e-324]) }],
    ['int32', { shape: [2, 1], data: new Int32Array([-5, 2147483647]) }],
    ['int64', { shape: [2], data: new BigInt64Array([-(2n ** 63n), 2n ** 53n + 1n]) }],
    ['uint8', { shape: [1, 1, 3], data: new Uint8Array([0, 128, 255]) }],
    ['bool', { shape: [3], data: new Uint8Array([1, 0, 1]), dtype: 'bool' }],
    ['0-d scalar', { shape: [], data: new Float32Array([4.25]) }],
    ['zero dimension', { shape: [0, 5], data: new Float32Array(0) }],
  ];

  it.each(cases)('%s round-trips through parseNpy', (_label, input) => {
    const bytes = encodeNpy(input);
    const headerLength = new DataView(bytes.buffer).getUint16(8, true);
    expect((10 + headerLength) % 64).toBe(0); // data aligned as numpy aligns it
    const back = parseNpy(bytes);
    expect(back.shape).toEqual(input.shape);
    expect(Array.from(back.data as ArrayLike<number | bigint>)).toEqual(Array.from(input.data as ArrayLike<number | bigint>));
    expect(back.data.constructor).toBe(input.data.constructor);
  });

  it('writes bool as 0/1 whatever the bytes held', () => {
    const back = parseNpy(encodeNpy({ shape: [2], data: new Uint8Array([7, 0]), dtype: 'bool' }));
    expect(back.dtype).toBe('bool');
    expect(Array.from(back.data as Uint8Array)).toEqual([1, 0]);
  });

  it('encodes a subarray view, not the whole underlying buffer', () => {
    const whole = new Float32Array([9, 1, 2, 9]);
    expect(Array.from(parseNpy(encodeNpy({ shape: [2], data: whole.subarray(1, 3) })).data as Float32Array)).toEqual([1, 2]);
  });

  it('switches to format 2.0 when the header exceeds 64 KiB', () => {
    const shape = new Array<number>(30_000).fill(1);
    const bytes = encodeNpy({ shape, data: new Float32Array([5]) });
    expect(bytes[6]).toBe(2);
    expect((12 + new DataView(bytes.buffer).getUint32(8, true)) % 64).toBe(0);
    const back = parseNpy(bytes);
    expect(back.shape.length).toBe(30_000);
    expect(Array.from(back.data as Float32Array)).toEqual([5]);
  });

  it('refuses a shape that does not match the data', () => {
    expectError(() => encodeNpy({ shape: [2, 2], data: new Float32Array(3) }), 'invalid-argument', /shape \(2, 2\) holds 4 values but the data has 3/);
    expectError(() => encodeNpy({ shape: [1.5], data: new Float32Array(1) }), 'invalid-argument', /shape \[1\.5\]/);
  });
});

describe('files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lumen-npy-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writeNpyFile replaces the file atomically and leaves no temporary file', async () => {
    const path = join(dir, 'map.npy');
    await writeFile(path, 'old contents');
    await writeNpyFile(path, { shape: [2], data: new Float32Array([1, 2]) });
    expect(Array.from((await readNpyFile(path)).data as Float32Array)).toEqual([1, 2]);
    expect(await readdir(dir)).toEqual(['map.npy']);
  });

  it('writeNpyFile into a missing folder is not-found, and leaves nothing behind', async () => {
    await expect(writeNpyFile(join(dir, 'missing', 'x.npy'), { shape: [1], data: new Float32Array(1) })).rejects.toMatchObject({ code: 'not-found' });
    expect(await readdir(dir)).toEqual(['map.npy']);
  });

  it('writeNpyFile over a folder says so, and leaves nothing behind', async () => {
    await mkdir(join(dir, 'maps'));
    await expect(writeNpyFile(join(dir, 'maps'), { shape: [1], data: new Float32Array(1) })).rejects.toMatchObject({ code: 'invalid-argument', message: `Cannot write ${join(dir, 'maps')}: it is a folder.` });
    expect((await readdir(dir)).sort()).toEqual(['map.npy', 'maps']);
    await rm(join(dir, 'maps'), { recursive: true });
  });

  it('writeNpyFile on a full disk says the disk is full (a real 64 KiB tmpfs)', async (context) => {
    if (process.platform !== 'linux' || process.getuid?.() !== 0) return context.skip('mounting a small tmpfs needs root on Linux');
    const mountPoint = await mkdtemp(join(tmpdir(), 'lumen-npy-full-'));
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint], { encoding: 'utf8' });
    if (mount.status !== 0) return context.skip(`mounting a tmpfs is not permitted here (${(mount.stderr || mount.error?.message || '').trim()})`);
    try {
      const path = join(mountPoint, 'big.npy');
      const error = await writeNpyFile(path, { shape: [64, 1024], data: new Float32Array(64 * 1024) }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'invalid-argument', message: `Cannot write ${path}: the disk is full.`, hint: 'Free some space on that disk, or write the file somewhere else.' });
      expect(await readdir(mountPoint)).toEqual([]);
    } finally {
      spawnSync('umount', ['-l', mountPoint]);
    }
  });

  it('readNpyFile on a missing file is not-found, on a folder invalid-argument', async () => {
    await expect(readNpyFile(join(dir, 'nope.npy'))).rejects.toMatchObject({ code: 'not-found', message: expect.stringContaining('nope.npy') });
    await expect(readNpyFile(dir)).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('is a folder') });
  });

  it('names the path in parse errors', async () => {
    const path = join(dir, 'junk.npy');
    await writeFile(path, 'not numpy at all');
    await expect(readNpyFile(path)).rejects.toMatchObject({ message: expect.stringContaining(`"${path}" is not a valid .npy file`) });
  });

  describe.skipIf(!hasNumpy)(`numpy.load reads what encodeNpy writes (skipped without ${python} and numpy; the committed fixtures cover CI)`, () => {
    // Format 2.0 is not checked here: encodeNpy only needs it beyond numpy's 32/64-dimension limit.
    it('every dtype, a 0-d scalar and a zero dimension', async () => {
      const inputs: Record<string, NpyInput> = {
        f4: { shape: [2, 3], data: new Float32Array([1.5, -2, 0, 3e38, -1e-30, 7]) },
        f8: { shape: [3], data: new Float64Array([1 / 3, -1e300, 5e-324]) },
        i4: { shape: [2, 1], data: new Int32Array([-5, 2147483647]) },
        i8: { shape: [2], data: new BigInt64Array([-(2n ** 63n), 2n ** 53n + 1n]) },
        u1: { shape: [1, 1, 3], data: new Uint8Array([0, 128, 255]) },
        b1: { shape: [3], data: new Uint8Array([1, 0, 1]), dtype: 'bool' },
        scalar: { shape: [], data: new Float32Array([4.25]) },
        empty: { shape: [0, 5], data: new Float32Array(0) },
      };
      for (const [name, input] of Object.entries(inputs)) await writeNpyFile(join(dir, `${name}.npy`), input);
      const script = [
        'import json, sys, numpy as np',
        'out = {}',
        `for name in ${JSON.stringify(Object.keys(inputs))}:`,
        '    a = np.load(sys.argv[1] + "/" + name + ".npy", allow_pickle=False)',
        // Floats as JSON numbers (exact doubles), integers as strings (int64 exceeds 2^53).
        '    values = a.ravel().tolist() if a.dtype.kind in "fb" else [str(v) for v in a.ravel().tolist()]',
        '    out[name] = {"dtype": a.dtype.str, "shape": list(a.shape), "values": values}',
        'print(json.dumps(out))',
      ].join('\n');
      const run = spawnSync(python, ['-c', script, dir], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      const loaded = JSON.parse(run.stdout) as Record<string, { dtype: string; shape: number[]; values: unknown[] }>;
      const floats = (input: NpyInput): number[] => Array.from(input.data as Float32Array);
      expect(loaded.f4).toEqual({ dtype: '<f4', shape: [2, 3], values: floats(inputs.f4!) });
      expect(loaded.f8).toEqual({ dtype: '<f8', shape: [3], values: [1 / 3, -1e300, 5e-324] });
      expect(loaded.i4).toEqual({ dtype: '<i4', shape: [2, 1], values: ['-5', '2147483647'] });
      expect(loaded.i8).toEqual({ dtype: '<i8', shape: [2], values: ['-9223372036854775808', '9007199254740993'] });
      expect(loaded.u1).toEqual({ dtype: '|u1', shape: [1, 1, 3], values: ['0', '128', '255'] });
      expect(loaded.b1).toEqual({ dtype: '|b1', shape: [3], values: [true, false, true] });
      expect(loaded.scalar).toEqual({ dtype: '<f4', shape: [], values: [4.25] });
      expect(loaded.empty).toEqual({ dtype: '<f4', shape: [0, 5], values: [] });
    });
  });
});

describe('toFloat32', () => {
  it('returns float32 data itself and converts the rest', async () => {
    const f4 = await fixture('float32.npy');
    expect(toFloat32(f4)).toBe(f4.data);
    expect(Array.from(toFloat32(await fixture('int64.npy'))).slice(0, 3)).toEqual([0, -1, 2 ** 53]);
    expect(Array.from(toFloat32(await fixture('uint8.npy')))).toEqual([0, 127, 255]);
    expect(toFloat32(await fixture('float64.npy'))[0]).toBeCloseTo(1 / 3, 7);
  });
});
