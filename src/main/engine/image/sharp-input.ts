import sharp, { type Sharp } from 'sharp';
import type { ImageSource } from './image-source';

/**
 * Where every libvips pipeline on an opened image starts. An encoded image (JPEG, PNG, WebP, TIFF)
 * is decoded by libvips itself; a DICOM image, which libvips cannot read, enters as its rendered
 * 16-bit pixels (windowed, MONOCHROME1 inverted), so that crops, resizing, previews and reports
 * work on it exactly as on a 16-bit PNG.
 */
export function sharpInput(source: ImageSource): Sharp {
  if (source.dicom) {
    const { pixels, frame } = source.dicom;
    return sharp(pixels, { raw: { width: frame.width, height: frame.height, channels: frame.channels } });
  }
  return sharp(source.bytes, { limitInputPixels: false });
}
