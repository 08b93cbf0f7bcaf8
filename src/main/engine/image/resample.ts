import type { KernelEnum, OutputInfo } from 'sharp';
import { LumenError } from '../../../shared/errors';
import type { Interpolation } from '../../../shared/model-card';
import type { GeometryPlan } from '../../../shared/image-geometry';
import { unreadableImage } from './image-errors';
import type { ImageSource } from './image-source';
import { sharpInput } from './sharp-input';

/** Decoded pixels, interleaved (height x width x channels), at the source's bit depth. */
export interface Pixels {
  width: number;
  height: number;
  channels: 1 | 3;
  bitDepth: 8 | 16;
  data: Uint8Array | Uint16Array;
}

const kernels: Record<Interpolation, keyof KernelEnum> = {
  nearest: 'nearest',
  linear: 'linear',
  cubic: 'cubic',
  lanczos3: 'lanczos3',
};

/**
 * Decodes the image and applies the geometry plan in one libvips pipeline: EXIF orientation, crop,
 * resize. Alpha is dropped (as PIL's convert('RGB') does); 16-bit data stays 16-bit.
 */
export async function resample(source: ImageSource, plan: GeometryPlan, interpolation: Interpolation): Promise<Pixels> {
  const sixteen = source.bitDepth === 16;
  let pipeline = sharpInput(source).rotate();
  if (sixteen) pipeline = pipeline.pipelineColourspace(source.channels === 1 ? 'grey16' : 'rgb16');
  const { crop, resized } = plan;
  const fullImage = crop.left === 0 && crop.top === 0 && crop.width === source.width && crop.height === source.height;
  if (!fullImage) pipeline = pipeline.extract(crop);
  if (resized.width !== crop.width || resized.height !== crop.height) {
    pipeline = pipeline.resize(resized.width, resized.height, {
      fit: 'fill',
      kernel: kernels[interpolation],
      fastShrinkOnLoad: false,
    });
  }
  const space = source.channels === 1 ? (sixteen ? 'grey16' : 'b-w') : sixteen ? 'rgb16' : 'srgb';
  pipeline = pipeline.toColourspace(space).removeAlpha().raw({ depth: sixteen ? 'ushort' : 'uchar' });
  let result: { data: Buffer; info: OutputInfo };
  try {
    result = await pipeline.toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw unreadableImage(source.name, source.bytes, error, 'decode');
  }
  const { data, info } = result;
  const channels = info.channels;
  if (channels !== 1 && channels !== 3) {
    throw new LumenError('invalid-image', `"${source.name}" decoded to ${channels} channels; Lumen expects 1 (gray) or 3 (colour).`, 'Save the image as grayscale or RGB.');
  }
  const pixels = sixteen
    ? new Uint16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength))
    : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return { width: info.width, height: info.height, channels, bitDepth: source.bitDepth, data: pixels };
}
