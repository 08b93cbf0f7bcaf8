import { LumenError } from '../../../../shared/errors';

/**
 * DICOM RLE Lossless (PS3.5 Annex G). A frame is a 64-byte header (segment count, then up to 15
 * segment offsets, little endian) and segments, each a PackBits-style byte stream of one byte
 * plane: for every sample, the most significant byte's plane comes first. The result is the
 * frame's samples as unsigned words, by plane (all of sample 0, then sample 1, ...), which is how
 * RLE orders them whatever the Planar Configuration says.
 */
export function decodeRle(frame: Uint8Array, pixels: number, samplesPerPixel: number, bitsAllocated: number, name: string): Uint8Array | Uint16Array | Uint32Array {
  const bytesPerSample = bitsAllocated / 8;
  const fail = (why: string): LumenError =>
    new LumenError('invalid-image', `"${name}" has damaged RLE pixel data: ${why}.`, 'Copy or export the file again from its source.', { name });
  if (frame.length < 64) throw fail('the RLE header is missing');
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const segments = view.getUint32(0, true);
  const expected = samplesPerPixel * bytesPerSample;
  if (segments !== expected) throw fail(`it has ${segments} segments where ${expected} were expected`);
  const offsets: number[] = [];
  for (let s = 0; s < segments; s++) offsets.push(view.getUint32(4 + 4 * s, true));
  offsets.push(frame.length);

  const out = bitsAllocated === 8 ? new Uint8Array(pixels * samplesPerPixel) : bitsAllocated === 16 ? new Uint16Array(pixels * samplesPerPixel) : new Uint32Array(pixels * samplesPerPixel);
  const plane = new Uint8Array(pixels);
  for (let s = 0; s < segments; s++) {
    const start = offsets[s]!;
    const end = Math.min(offsets[s + 1]!, frame.length);
    if (start < 64 || start > end) throw fail(`segment ${s + 1} starts at an invalid offset`);
    const filled = unpackSegment(frame, start, end, plane);
    if (filled < pixels) throw fail(`segment ${s + 1} decodes to ${filled} bytes where ${pixels} were expected`);
    const sample = Math.floor(s / bytesPerSample);
    const shift = 8 * (bytesPerSample - 1 - (s % bytesPerSample)); // most significant byte first
    const base = sample * pixels;
    for (let i = 0; i < pixels; i++) out[base + i] = (out[base + i]! | (plane[i]! << shift)) >>> 0;
  }
  return out;
}

/** PackBits: n in 0..127 copies the next n+1 bytes, n in -127..-1 repeats the next byte 1-n times, -128 is skipped. */
function unpackSegment(data: Uint8Array, start: number, end: number, out: Uint8Array): number {
  let i = start;
  let o = 0;
  while (i < end && o < out.length) {
    const n = (data[i++]! << 24) >> 24;
    if (n >= 0) {
      const count = Math.min(n + 1, out.length - o, end - i);
      out.set(data.subarray(i, i + count), o);
      i += n + 1;
      o += count;
    } else if (n !== -128) {
      const count = Math.min(1 - n, out.length - o);
      out.fill(data[i++]!, o, o + count);
      o += count;
    }
  }
  return o;
}
