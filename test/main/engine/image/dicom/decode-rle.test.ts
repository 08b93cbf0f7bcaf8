import { describe, expect, test } from 'vitest';
import { LumenError } from '../../../../../src/shared/errors';
import { decodeRle } from '../../../../../src/main/engine/image/dicom/decode-rle';

/** An RLE frame (PS3.5 G.3): a 64-byte header with the segment offsets, then the segments. */
function frame(segments: number[][]): Uint8Array {
  const header = new Uint8Array(64);
  const view = new DataView(header.buffer);
  view.setUint32(0, segments.length, true);
  let offset = 64;
  segments.forEach((segment, i) => {
    view.setUint32(4 + 4 * i, offset, true);
    offset += segment.length;
  });
  return Uint8Array.from([...header, ...segments.flat()]);
}

describe('decodeRle (PS3.5 Annex G, PackBits segments)', () => {
  test('literal runs, replicate runs and the -128 no-op, worked by hand', () => {
    // 2 literal bytes (n = 1), 3 copies of 9 (n = -2), a no-op (-128), 1 literal (n = 0).
    const out = decodeRle(frame([[1, 5, 6, 0xfe, 9, 0x80, 0, 7]]), 6, 1, 8, 'x');
    expect(Array.from(out)).toEqual([5, 6, 9, 9, 9, 7]);
  });

  test('16-bit samples: the high byte plane comes first', () => {
    const out = decodeRle(frame([[1, 0x12, 0x00], [1, 0x34, 0xff]]), 2, 1, 16, 'x');
    expect(Array.from(out)).toEqual([0x1234, 0x00ff]);
  });

  test('colour is returned by plane, one segment per sample', () => {
    const out = decodeRle(frame([[0xff, 10], [0xff, 20], [0xff, 30]]), 2, 3, 8, 'x');
    expect(Array.from(out)).toEqual([10, 10, 20, 20, 30, 30]);
  });

  test('a wrong segment count or a short segment is refused as damaged', () => {
    expect(() => decodeRle(frame([[1, 1, 2]]), 2, 3, 8, 'a.dcm')).toThrow('"a.dcm" has damaged RLE pixel data: it has 1 segments where 3 were expected.');
    expect(() => decodeRle(frame([[0, 1]]), 4, 1, 8, 'a.dcm')).toThrow(/segment 1 decodes to 1 bytes where 4 were expected/);
    expect(() => decodeRle(new Uint8Array(10), 4, 1, 8, 'a.dcm')).toThrow(LumenError);
  });
});
