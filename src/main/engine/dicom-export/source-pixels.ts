import { fullRangeWindow, windowValues } from '../../../shared/windowing/voi-window';
import { decodeDicomFrame } from '../image/dicom/decode-dicom-frame';
import { isDicom } from '../image/dicom/is-dicom';
import type { ImageSource } from '../image/image-source';
import { displayImage, type RgbImage } from '../report/render-images';

/**
 * The source image as a viewer shows it, 8-bit RGB at its full size: what the Secondary Capture
 * lays the heat map over. An opened DICOM image is shown through the window it was opened with
 * (the file's own unless the user chose another); DICOM bytes without one through the file's first
 * window (the full range of its values when it has none), MONOCHROME1 inverted; any other image
 * as the report shows it.
 */
export async function sourcePixels(source: ImageSource): Promise<RgbImage> {
  if (source.dicom) {
    const { pixels, frame } = source.dicom;
    return toRgb8(pixels, frame.width, frame.height, frame.channels, (v) => Math.round(v / 257));
  }
  if (!isDicom(source.bytes)) return displayImage(source, Math.max(source.width, source.height));
  const decoded = await decodeDicomFrame(source.bytes, source.name);
  const { width, height, values } = decoded;
  if (decoded.channels === 3) {
    const top = 2 ** Math.min(16, decoded.facts.bitsStored) - 1;
    return toRgb8(values, width, height, 3, (v) => Math.round((Math.min(top, Math.max(0, v)) * 255) / top));
  }
  const first = decoded.facts.windows[0];
  const window = first ? { center: first.center, width: first.width, fn: decoded.facts.voiLutFunction } : fullRangeWindow(decoded.min, decoded.max);
  const unit = windowValues(values, window, decoded.facts.photometric === 'MONOCHROME1');
  return toRgb8(unit, width, height, 1, (v) => Math.round(v * 255));
}

/** Interleaved RGB bytes from one or three channels of values, each mapped to 0..255 by `to8`. */
function toRgb8(values: ArrayLike<number>, width: number, height: number, channels: number, to8: (v: number) => number): RgbImage {
  const n = width * height;
  const out = new Uint8Array(n * 3);
  if (channels === 3) for (let i = 0; i < n * 3; i++) out[i] = to8(values[i]!);
  else {
    for (let i = 0; i < n; i++) {
      const v = to8(values[i]!);
      out[3 * i] = v;
      out[3 * i + 1] = v;
      out[3 * i + 2] = v;
    }
  }
  return { data: out, width, height };
}
