import { LumenError } from '../../../shared/errors';
import { oneLine } from '../io/one-line';

/** The format an image file claims by its first bytes, whatever its extension says. */
export function sniffImageFormat(bytes: Uint8Array): 'PNG' | 'JPEG' | 'TIFF' | 'WebP' | undefined {
  const at = (offset: number, ...values: number[]): boolean => values.every((v, i) => bytes[offset + i] === v);
  if (at(0, 0x89, 0x50, 0x4e, 0x47)) return 'PNG';
  if (at(0, 0xff, 0xd8, 0xff)) return 'JPEG';
  if (at(0, 0x49, 0x49, 0x2a, 0x00) || at(0, 0x4d, 0x4d, 0x00, 0x2a)) return 'TIFF';
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'WebP';
  return undefined;
}

/** libvips's own words, first line only: "vipspng: libpng read error" says nothing without the file's name. */
export function cleanSharpMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/^Input (buffer|file) /, '').split('\n')[0]!.slice(0, 200);
}

/**
 * The error for an image libvips fails on. A file that starts like a PNG, JPEG, TIFF or WebP and
 * still fails is damaged or cut short (an interrupted copy or download), which is what the user
 * can act on; anything else is not an image Lumen reads.
 */
export function unreadableImage(name: string, bytes: Uint8Array, error: unknown, stage: 'read' | 'decode'): LumenError {
  const format = sniffImageFormat(bytes);
  const detail = cleanSharpMessage(error);
  const shown = oneLine(name); // a file name may hold a newline: the message stays one line
  const lead = stage === 'read' ? `"${shown}" could not be read as an image` : `"${shown}" could not be decoded`;
  if (format) {
    return new LumenError('invalid-image', `${lead}: the ${format} file is damaged or truncated (${detail}).`, 'Copy or export the image again from its source.', { name, format });
  }
  return new LumenError('invalid-image', `${lead} (${detail}).`, 'Use a JPEG, PNG, WebP, TIFF or DICOM file.', { name });
}
