import { sniffImageFormat } from '../../image/image-errors';

/**
 * Why an image in a dataset cannot be imported, in Lumen's words and on one line: libvips's own
 * text ("Input buffer has corrupt header: VipsJpeg: …") runs over several lines and names no
 * remedy. A file that starts like an image format is damaged or cut short; anything else is not
 * an image Lumen reads.
 */
export function imageProblem(bytes: Uint8Array): string {
  const format = sniffImageFormat(bytes);
  return format
    ? `the ${format} file is damaged or truncated; copy or export it again from its source`
    : 'it is not an image Lumen reads; use JPEG, PNG, WebP or TIFF files';
}
