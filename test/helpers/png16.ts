import { crc32, deflateSync } from 'node:zlib';

/**
 * A minimal 16-bit PNG encoder (grayscale or RGB), written for tests so that 16-bit inputs with
 * known sample values exist without trusting the decoder under test to have made them.
 */
export function encodePng16(width: number, height: number, channels: 1 | 3, samples: ArrayLike<number>): Uint8Array {
  const rowBytes = width * channels * 2;
  const raw = Buffer.alloc((rowBytes + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (rowBytes + 1)] = 0; // filter: none
    for (let i = 0; i < width * channels; i++) raw.writeUInt16BE(samples[y * width * channels + i]!, y * (rowBytes + 1) + 1 + i * 2);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 16; // bit depth
  ihdr[9] = channels === 1 ? 0 : 2; // colour type: gray or RGB
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}
