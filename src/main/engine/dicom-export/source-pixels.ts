import { fullRangeWindow, windowValues } from '../../../shared/windowing/voi-window';
import { decodeDicomFrame } from '../image/dicom/decode-dicom-frame';
import { isDicom } from '../image/dicom/is-dicom';
import type { ImageSource } from '../image/image-source';
import { displayImage, type RgbImage } from '../report/render-images';

/**
 * The source image as a viewer shows it, 8-bit RGB at its full size: what the Secondary Capture
 * lays the heat map over. A DICOM frame is shown through the file's first window (the full range
 * of its values when it has none), MONOCHROME1 inverted; any other image as the report shows it.
 */
export async function sourcePixels(source: ImageSource, frame = 0): Promise<RgbImage> {
  if (!isDicom(source.bytes)) return displayImage(source, Math.max(source.width, source.height));
  const decoded = await decodeDicomFrame(source.bytes, source.name, frame);
  const { width, height, values } = decoded;
  const n = width * height;
  const out = new Uint8Array(n * 3);
  if (decoded.channels === 3) {
    const scale = decoded.facts.bitsStored > 8 || decoded.max > 255 ? 255 / Math.max(1, 2 ** decoded.facts.bitsStored - 1) : 1;
    for (let i = 0; i < n * 3; i++) out[i] = Math.min(255, Math.max(0, Math.round(values[i]! * scale)));
    return { data: out, width, height };
  }
  const first = decoded.facts.windows[0];
  const window = first ? { center: first.center, width: first.width, fn: decoded.facts.voiLutFunction } : fullRangeWindow(decoded.min, decoded.max);
  const unit = windowValues(values, window, decoded.facts.photometric === 'MONOCHROME1');
  for (let i = 0; i < n; i++) {
    const v = Math.round(unit[i]! * 255);
    out[3 * i] = v;
    out[3 * i + 1] = v;
    out[3 * i + 2] = v;
  }
  return { data: out, width, height };
}
