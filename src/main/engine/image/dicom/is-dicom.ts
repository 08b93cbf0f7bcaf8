/**
 * Whether bytes look like a DICOM data set, judged from the first 136 bytes only (cheap enough to
 * run on every extensionless file of a folder import). Three layouts occur in practice:
 * - a Part 10 file: 128-byte preamble then "DICM";
 * - a meta header without the preamble (group 0002 first, explicit VR little endian);
 * - a bare data set without any meta header (what older modalities and pydicom's `no_meta.dcm`
 *   hold), whose first element is a small even group (0008 in practice), in implicit or explicit
 *   VR, little or big endian.
 */
export function isDicom(bytes: Uint8Array): boolean {
  return hasPart10Preamble(bytes) || bareLayout(bytes) !== undefined;
}

/** "DICM" after the 128-byte preamble. */
export function hasPart10Preamble(bytes: Uint8Array): boolean {
  return bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;
}

/** How a file without a preamble starts: with a meta header, or with the data set in one of three encodings. */
export type BareLayout = 'meta' | 'implicit-little' | 'explicit-little' | 'explicit-big';

const vrs = new Set(
  'AE AS AT CS DA DS DT FL FD IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV'.split(' '),
);

/** The layout of a file that has no preamble, or undefined when it does not look like DICOM at all. */
export function bareLayout(bytes: Uint8Array): BareLayout | undefined {
  if (bytes.length < 12) return undefined;
  const u16le = (at: number): number => bytes[at]! | (bytes[at + 1]! << 8);
  const u16be = (at: number): number => (bytes[at]! << 8) | bytes[at + 1]!;
  const vr = String.fromCharCode(bytes[4]!, bytes[5]!);
  const explicit = vrs.has(vr);
  const groupLe = u16le(0);
  const groupBe = u16be(0);
  if (groupLe === 0x0002 && explicit) return 'meta';
  // Group 0008 (Identifying) is the first group of any image data set without a meta header.
  // Groups 0000 and 0001 are command/illegal groups; an odd group is private and never first.
  if (groupLe === 0x0008 && u16le(2) < 0x0100) {
    if (explicit) return 'explicit-little';
    const length = bytes[4]! | (bytes[5]! << 8) | (bytes[6]! << 16) | (bytes[7]! << 24);
    return length >= 0 && length < 0x10000 ? 'implicit-little' : undefined;
  }
  if (groupBe === 0x0008 && u16be(2) < 0x0100 && explicit) return 'explicit-big';
  return undefined;
}
