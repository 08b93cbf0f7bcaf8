import type { DataSet } from 'dicom-parser';
import { LumenError } from '../../../../shared/errors';

/** Samples by plane (RRR…GGG…BBB…) to interleaved (RGBRGB…). */
export function interleave(planar: ArrayLike<number>, pixels: number): Float32Array {
  const out = new Float32Array(pixels * 3);
  for (let i = 0; i < pixels; i++) {
    out[3 * i] = planar[i]!;
    out[3 * i + 1] = planar[pixels + i]!;
    out[3 * i + 2] = planar[2 * pixels + i]!;
  }
  return out;
}

/** The first `count` interleaved samples as floats (a copy, so the conversions below can work in place). */
export function toFloat(samples: ArrayLike<number>, count: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = samples[i]!;
  return out;
}

/**
 * YBR_FULL_422 native data (Y1 Y2 Cb Cr for each horizontal pair, PS3.3 C.7.6.3.1.2) to full
 * YBR: each chroma pair is shared by the two pixels it was sampled from.
 */
export function upsample422(samples: ArrayLike<number>, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height * 3);
  let s = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x += 2) {
      const y1 = samples[s]!;
      const y2 = samples[s + 1]!;
      const cb = samples[s + 2]!;
      const cr = samples[s + 3]!;
      s += 4;
      const o = 3 * (y * width + x);
      out[o] = y1;
      out[o + 1] = cb;
      out[o + 2] = cr;
      if (x + 1 < width) {
        out[o + 3] = y2;
        out[o + 4] = cb;
        out[o + 5] = cr;
      }
    }
  }
  return out;
}

/**
 * Full-range YCbCr to RGB in place (PS3.3 C.7.6.3.1.2, the ITU-R BT.601 matrix without head- and
 * footroom), rounded and clipped to the sample range as dcmtk and pydicom do.
 */
export function ybrFullToRgb(values: Float32Array, bits: number): void {
  const max = 2 ** bits - 1;
  const half = 2 ** (bits - 1);
  const gCb = (-0.114 * 1.772) / 0.587;
  const gCr = (-0.299 * 1.402) / 0.587;
  for (let i = 0; i < values.length; i += 3) {
    const y = values[i]!;
    const cb = values[i + 1]! - half;
    const cr = values[i + 2]! - half;
    values[i] = clip(Math.floor(y + 1.402 * cr + 0.5), max);
    values[i + 1] = clip(Math.floor(y + gCb * cb + gCr * cr + 0.5), max);
    values[i + 2] = clip(Math.floor(y + 1.772 * cb + 0.5), max);
  }
}

function clip(v: number, max: number): number {
  return v < 0 ? 0 : v > max ? max : v;
}

/**
 * PALETTE COLOR: each stored index looks up red, green and blue tables (PS3.3 C.7.6.3.1.5).
 * Returns RGB and the tables' sample maximum (255 for 8-bit entries, 65535 for 16-bit).
 */
export function applyPalette(indices: ArrayLike<number>, ds: DataSet, name: string): { values: Float32Array; sampleMax: number } {
  if (ds.elements.x00281221 || ds.elements.x00281222 || ds.elements.x00281223) {
    throw new LumenError('invalid-image', `"${name}" uses a segmented palette colour table, which Lumen does not read.`, 'Convert it to RGB first (e.g. dcmconv +cl or gdcmconv --raw).', { name });
  }
  const tables = (['1', '2', '3'] as const).map((c) => {
    const descriptor = ds.elements[`x0028110${c}`];
    const data = ds.elements[`x0028120${c}`];
    if (!descriptor || !data) throw new LumenError('invalid-image', `"${name}" is PALETTE COLOR but lacks its palette tables.`, 'The file is damaged; export it again from its source.', { name });
    const entries = ds.uint16(`x0028110${c}`, 0) || 65536;
    const first = ds.uint16(`x0028110${c}`, 1) ?? 0;
    const bits = ds.uint16(`x0028110${c}`, 2) ?? 16;
    const lut = new Uint16Array(entries);
    if (bits === 8 && data.length === entries) for (let i = 0; i < entries; i++) lut[i] = ds.byteArray[data.dataOffset + i]!;
    else for (let i = 0; i < entries && 2 * i + 1 < data.length; i++) lut[i] = ds.byteArrayParser.readUint16(ds.byteArray, data.dataOffset + 2 * i);
    // 8-bit entries stored in 16-bit words keep the value in the low byte.
    if (bits === 8 && data.length !== entries) for (let i = 0; i < entries; i++) lut[i] = lut[i]! & 0xff;
    return { lut, first, bits };
  });
  const sampleMax = tables[0]!.bits === 8 ? 255 : 65535;
  const out = new Float32Array(indices.length * 3);
  for (let i = 0; i < indices.length; i++) {
    for (let c = 0; c < 3; c++) {
      const { lut, first } = tables[c]!;
      const k = Math.min(Math.max(indices[i]! - first, 0), lut.length - 1);
      out[3 * i + c] = lut[k]!;
    }
  }
  return { values: out, sampleMax };
}
