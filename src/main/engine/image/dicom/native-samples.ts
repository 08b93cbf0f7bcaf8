import { LumenError } from '../../../../shared/errors';
import type { DicomFacts } from './dicom-types';

const hostLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Native (uncompressed) pixel data to unsigned words, one per sample, in file order. Words of 16
 * and 32 bits are read in the data set's byte order; 1-bit data (segmentations, overlays) is
 * unpacked least significant bit first (PS3.5 8.1.1).
 */
export function nativeSamples(bytes: Uint8Array, bitOffset: number, count: number, facts: DicomFacts, bigEndian: boolean, name: string): Uint8Array | Uint16Array | Uint32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = !bigEndian;
  switch (facts.bitsAllocated) {
    case 1: {
      const out = new Uint8Array(count);
      for (let i = 0; i < count; i++) {
        const bit = bitOffset + i;
        out[i] = (bytes[bit >> 3]! >> (bit & 7)) & 1;
      }
      return out;
    }
    case 8:
      return bytes.subarray(0, count);
    case 16: {
      if (little && hostLittleEndian) return new Uint16Array(bytes.slice(0, 2 * count).buffer); // an aligned copy
      const out = new Uint16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getUint16(2 * i, little);
      return out;
    }
    case 32: {
      const out = new Uint32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getUint32(4 * i, little);
      return out;
    }
    default:
      throw new LumenError('invalid-image', `"${name}" has ${facts.bitsAllocated} bits allocated per sample; Lumen reads 1, 8, 16 or 32.`, 'Convert the file with dcmconv or gdcmconv.', { name });
  }
}
