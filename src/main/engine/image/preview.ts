import { unreadableImage } from './image-errors';
import type { ImageSource } from './image-source';
import { sharpInput } from './sharp-input';

export const previewMaxSide = 1024;

/**
 * An 8-bit PNG of the image for display (browsers show neither TIFF nor 16-bit data), oriented as
 * the model sees it and at most 1024 px on its longer side. This is the first full decode of a
 * newly opened image, so a file cut short after its header fails here.
 */
export async function makePreview(source: ImageSource): Promise<{ width: number; height: number; data: Uint8Array }> {
  try {
    const { data, info } = await sharpInput(source)
      .rotate()
      .resize(previewMaxSide, previewMaxSide, { fit: 'inside', withoutEnlargement: true })
      .toColourspace(source.channels === 1 ? 'b-w' : 'srgb')
      .png({ compressionLevel: 6 })
      .toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  } catch (error) {
    throw unreadableImage(source.name, source.bytes, error, 'decode');
  }
}
