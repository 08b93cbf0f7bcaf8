import sharp, { type Metadata } from 'sharp';
import { LumenError } from '../../../shared/errors';
import type { VoiChoice, VoiFunction } from './dicom/apply-window';
import { openDicomImage, rewindow, type DicomImage } from './dicom/dicom-image';
import { isDicom } from './dicom/is-dicom';
import { unreadableImage } from './image-errors';

// Kept here too: project thumbnails import it from this module.
export { cleanSharpMessage } from './image-errors';

/** Formats Lumen decodes with libvips (sharp's names); DICOM ('dicom') is decoded by Lumen's own reader. */
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
  /**
   * DICOM only: the decoded frame and its rendering through a VOI window, which every sharp
   * pipeline reads instead of `bytes` (see sharpInput). By default the file's first window (else
   * its VOI LUT, else the full range of its values), MONOCHROME1 inverted, as 16-bit gray.
   */
  dicom?: DicomImage;
}

/** How to open a DICOM file: which frame, which VOI window (ignored for other formats). */
export interface InspectOptions {
  frame?: number;
  window?: VoiChoice;
  voiFunction?: VoiFunction;
}

/**
 * Reads an image's header and checks that Lumen can decode it, without decoding the pixels:
 * unsupported formats, corrupt files and oversized images are rejected here with a clear error.
 * A DICOM file (recognised by its bytes, whatever its name) is decoded and windowed here instead.
 */
export async function inspectImage(bytes: Uint8Array, name: string, maxPixels = defaultMaxPixels, options: InspectOptions = {}): Promise<ImageSource> {
  if (isDicom(bytes)) return dicomSource(bytes, name, await openDicomImage(bytes, name, { ...options, maxPixels }));
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

/**
 * A DICOM image as an ImageSource. It is decoded here, once, rather than at each use: DICOM needs
 * the VOI transform before any pipeline can read it, and the decoded frame is reused for windowing.
 */
function dicomSource(bytes: Uint8Array, name: string, dicom: DicomImage): ImageSource {
  return { name, bytes, format: 'dicom', width: dicom.frame.width, height: dicom.frame.height, channels: dicom.frame.channels, bitDepth: 16, hasAlpha: false, dicom };
}

/**
 * The same DICOM image rendered through another VOI window (a preset, a fixed centre/width, the
 * full range, a VOI LUT), without decoding it again. Other images are returned unchanged.
 */
export function withWindow(source: ImageSource, window: VoiChoice, voiFunction?: VoiFunction): ImageSource {
  if (!source.dicom) return source;
  return { ...source, dicom: rewindow(source.dicom, window, voiFunction) };
}
