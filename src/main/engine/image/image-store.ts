import { createHash } from 'node:crypto';
import { LumenError } from '../../../shared/errors';
import { inspectImage, type ImageSource } from './image-source';

/**
 * The images a session has opened, by content hash. Bounded by total bytes: the least recently
 * used images are dropped first (they can be opened again; nothing is lost).
 */
export class ImageStore {
  private readonly images = new Map<string, ImageSource>();
  private bytes = 0;

  constructor(private readonly maxBytes = 1024 * 1024 * 1024) {}

  /**
   * `frame` picks a frame of a multi-frame DICOM file; each frame is its own image (its own id),
   * so the model, the previews and the annotations of two frames never mix.
   */
  async add(data: Uint8Array, name: string, frame?: number): Promise<{ id: string; source: ImageSource }> {
    const hash = createHash('sha256').update(data).digest('hex');
    const id = frame ? `${hash}#frame${frame}` : hash;
    const existing = this.images.get(id);
    if (existing) {
      this.touch(id, existing);
      return { id, source: existing };
    }
    const source = await inspectImage(data, name, undefined, frame === undefined ? {} : { frame });
    if (frame && !source.dicom) {
      throw new LumenError('invalid-argument', `"${name}" is a ${source.format.toUpperCase()} image with one frame; frame ${frame + 1} does not exist.`, 'Choose a frame only for a multi-frame DICOM file.', { frame });
    }
    this.images.set(id, source);
    this.bytes += heldBytes(source);
    this.evict();
    return { id, source };
  }

  get(id: string): ImageSource {
    const source = this.images.get(id);
    if (!source) throw new LumenError('not-found', `No open image has id "${id}".`, 'Open the image again.', { imageId: id });
    this.touch(id, source);
    return source;
  }

  private touch(id: string, source: ImageSource): void {
    this.images.delete(id);
    this.images.set(id, source);
  }

  private evict(): void {
    for (const [id, source] of this.images) {
      if (this.bytes <= this.maxBytes || this.images.size <= 1) break;
      this.images.delete(id);
      this.bytes -= heldBytes(source);
    }
  }
}

/** What an open image holds in memory: its file, plus a DICOM image's decoded frame and rendering. */
function heldBytes(source: ImageSource): number {
  const dicom = source.dicom;
  return source.bytes.byteLength + (dicom ? dicom.frame.values.byteLength + dicom.pixels.byteLength : 0);
}
