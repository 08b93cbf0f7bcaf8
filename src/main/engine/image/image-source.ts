import sharp, { type Metadata } from 'sharp';
import { LumenError } from '../../../shared/errors';
import { unreadableImage } from './image-errors';

// Kept here too: project thumbnails import it from this module.
export { cleanSharpMessage } from './image-errors';

/** Formats Lumen decodes (sharp's names). */
export const supportedFormats = ['jpeg', 'png', 'webp', 'tiff'] as const;

/** 100 megapixels: a 10000 x 10000 whole-slide crop still opens; a decompression bomb does not. */
export const defaultMaxPixels = 100_000_000;

/** An encoded image held by the engine, with the facts read from its header. */
export interface ImageSource {
  name: string;
  bytes: Uint8Array;
  format: string;
  /** Size after EXIF orientation is applied (what the user sees). */
  width: number;
  height: number;
  /** Colour channels without alpha: 1 (grayscale) or 3. */
  channels: 1 | 3;
  bitDepth: 8 | 16;
  hasAlpha: boolean;
}

/**
 * Reads an image's header and checks that Lumen can decode it, without decoding the pixels:
 * unsupported formats, corrupt files and oversized images are rejected here with a clear error.
 */
export async function inspectImage(bytes: Uint8Array, name: string, maxPixels = defaultMaxPixels): Promise<ImageSource> {
  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw unreadableImage(name, bytes, error, 'read');
  }
  const format = metadata.format;
  if (!(supportedFormats as readonly string[]).includes(format)) {
    throw new LumenError('invalid-image', `"${name}" is a ${format.toUpperCase()} image, which Lumen does not open.`, 'Convert it to PNG or TIFF (both keep 16-bit data).');
  }
  const { width, height } = metadata;
  if (!width || !height) throw new LumenError('invalid-image', `"${name}" has no pixel dimensions.`, 'The file may be damaged.');
  if (width * height > maxPixels) {
    throw new LumenError(
      'image-too-large',
      `"${name}" is ${width} x ${height} pixels (${((width * height) / 1e6).toFixed(0)} MP), above Lumen's limit of ${(maxPixels / 1e6).toFixed(0)} MP.`,
      'Downscale or crop the image to the region of interest first.',
    );
  }
  const rotated = (metadata.orientation ?? 1) >= 5;
  const gray = metadata.space === 'b-w' || metadata.space === 'grey16' || (metadata.channels ?? 3) <= 2;
  const depth = metadata.depth === 'ushort' || metadata.depth === 'short' ? 16 : 8;
  return {
    name,
    bytes,
    format,
    width: rotated ? height : width,
    height: rotated ? width : height,
    channels: gray ? 1 : 3,
    bitDepth: depth,
    hasAlpha: metadata.hasAlpha ?? false,
  };
}
