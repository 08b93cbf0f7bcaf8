/**
 * Whether libjpeg, decoding this 3-component JPEG, converted YCbCr to RGB only by its own guess:
 * no JFIF APP0 and no Adobe APP14 marker say what the components are, and their identifiers are
 * not 'R', 'G', 'B', so libjpeg assumes YCbCr (jdapimin.c, default_decompress_parms). DICOM's
 * Photometric Interpretation is what says it (PS3.5 8.2.1): an RGB file's components are R, G, B.
 */
export function libjpegGuessedYcbcr(jpeg: Uint8Array): boolean {
  let componentIds: number[] = [];
  for (let i = 2; i + 4 <= jpeg.length; ) {
    if (jpeg[i] !== 0xff) return false;
    const marker = jpeg[i + 1]!;
    const length = (jpeg[i + 2]! << 8) | jpeg[i + 3]!;
    const text = (at: number, n: number): string => String.fromCharCode(...jpeg.subarray(at, at + n));
    if (marker === 0xe0 && text(i + 4, 4) === 'JFIF') return false;
    if (marker === 0xee && text(i + 4, 5) === 'Adobe') return false;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const count = jpeg[i + 9]!;
      componentIds = Array.from({ length: count }, (_, k) => jpeg[i + 10 + 3 * k]!);
    }
    if (marker === 0xda) break;
    i += 2 + length;
  }
  return componentIds.length === 3 && !(componentIds[0] === 82 && componentIds[1] === 71 && componentIds[2] === 66);
}

/**
 * A copy of the JPEG whose three components are renamed 'R', 'G', 'B' (in the frame header and in
 * every scan header), so that libjpeg takes them as RGB and does not convert them. The entropy
 * coded data is skipped by its markers (0xFF followed by anything but 0x00 or a restart marker).
 */
export function withRgbComponentIds(jpeg: Uint8Array): Uint8Array {
  const out = jpeg.slice();
  const rename = new Map<number, number>();
  let i = 2;
  while (i + 4 <= out.length) {
    if (out[i] !== 0xff) break;
    const marker = out[i + 1]!;
    if (marker === 0xd9) break;
    const length = (out[i + 2]! << 8) | out[i + 3]!;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const count = out[i + 9]!;
      for (let k = 0; k < count && k < 3; k++) {
        rename.set(out[i + 10 + 3 * k]!, [82, 71, 66][k]!);
        out[i + 10 + 3 * k] = [82, 71, 66][k]!;
      }
    }
    i += 2 + length;
    if (marker === 0xda) {
      const header = i - length + 2; // Ns, then (Cs, Td/Ta) pairs
      const count = out[header]!;
      for (let k = 0; k < count; k++) out[header + 1 + 2 * k] = rename.get(out[header + 1 + 2 * k]!) ?? out[header + 1 + 2 * k]!;
      while (i + 1 < out.length && !(out[i] === 0xff && out[i + 1] !== 0x00 && !(out[i + 1]! >= 0xd0 && out[i + 1]! <= 0xd7))) i++;
    }
  }
  return out;
}
