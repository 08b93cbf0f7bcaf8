import sharp, { type KernelEnum } from 'sharp';
import type { Interpolation } from '../../../../shared/model-card';
import type { GeometryPlan } from '../../../../shared/image-geometry';
import type { Pixels } from '../resample';
import type { UnitPixels } from './dicom-unit-pixels';

const kernels: Record<Interpolation, keyof KernelEnum> = { nearest: 'nearest', linear: 'linear', cubic: 'cubic', lanczos3: 'lanczos3' };

/**
 * The geometry plan (crop, resize) applied to a DICOM frame's 16-bit unit values, in the same
 * libvips pipeline and with the same kernels as a 16-bit PNG (resample.ts), so a DICOM and its
 * PNG export reach the model through the same arithmetic.
 */
export async function resampleUnitPixels(pixels: UnitPixels, plan: GeometryPlan, interpolation: Interpolation): Promise<Pixels> {
  const { crop, resized } = plan;
  let pipeline = sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: pixels.channels }, limitInputPixels: false });
  const fullImage = crop.left === 0 && crop.top === 0 && crop.width === pixels.width && crop.height === pixels.height;
  if (!fullImage) pipeline = pipeline.extract(crop);
  if (resized.width !== crop.width || resized.height !== crop.height) {
    pipeline = pipeline.resize(resized.width, resized.height, { fit: 'fill', kernel: kernels[interpolation], fastShrinkOnLoad: false });
  }
  const { data, info } = await pipeline
    .toColourspace(pixels.channels === 1 ? 'grey16' : 'rgb16')
    .raw({ depth: 'ushort' })
    .toBuffer({ resolveWithObject: true });
  const samples = new Uint16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  return { width: info.width, height: info.height, channels: pixels.channels, bitDepth: 16, data: samples };
}
