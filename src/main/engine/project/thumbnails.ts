import { createHash } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import type { z } from 'zod';
import type { Thumbnail, ThumbnailsParams } from '../../../shared/contract/project';
import { writeFileAtomic } from '../fs-utils';
import { openDicomImage } from '../image/dicom/dicom-image';
import { isDicom } from '../image/dicom/is-dicom';
import { cleanSharpMessage, defaultMaxPixels } from '../image/image-source';
import { fileInDataset, findDataset } from './dataset-files';
import type { ProjectStore } from './project-store';

/** Thumbnails made at once: sharp has its own thread pool; this only bounds the memory in flight. */
const concurrency = 4;

/**
 * PNG thumbnails of a dataset's images (the longer side `size` pixels, oriented as shown), cached
 * in the project's `artifacts/thumbnails/` by the file's path, size and modification time and the
 * thumbnail size: a changed file gets a new thumbnail. An image that is missing or cannot be
 * decoded gives an error entry of its own; the other thumbnails still come back.
 */
export async function datasetThumbnails(store: ProjectStore, params: z.output<typeof ThumbnailsParams>): Promise<Thumbnail[]> {
  const dataset = findDataset(store, params.dataset);
  // Every path is checked before any work: one that leaves the root fails the whole request.
  const wanted = params.paths.map((path) => ({ path, file: fileInDataset(dataset, path) }));
  const dir = join(store.artifacts, 'thumbnails');
  // Without a cache folder (a read-only project) thumbnails are still made, just not kept.
  await mkdir(dir, { recursive: true }).catch(() => undefined);
  const out: Thumbnail[] = new Array(wanted.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < wanted.length) {
      const k = next++;
      out[k] = await thumbnail(wanted[k]!.path, wanted[k]!.file, params.size, dir);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, wanted.length) }, worker));
  return out;
}

async function thumbnail(path: string, file: string, size: number, dir: string): Promise<Thumbnail> {
  let facts;
  try {
    facts = await stat(file);
  } catch {
    return { path, error: 'the image file does not exist' };
  }
  if (!facts.isFile()) return { path, error: 'not a file' };
  const key = createHash('sha256').update(`${file}\n${facts.size}\n${facts.mtimeMs}`).digest('hex').slice(0, 32);
  const cached = join(dir, `${key}-${size}.png`);
  let png = await readFile(cached).then(bytes, () => undefined);
  let dims = png && pngSize(png);
  if (!png || !dims) {
    try {
      png = await render(file, size);
    } catch (error) {
      return { path, error: `could not be read as an image (${cleanSharpMessage(error)})` };
    }
    dims = pngSize(png);
    if (!dims) return { path, error: 'the thumbnail could not be made' };
    // A cache that cannot be written (read-only project) costs speed, not the thumbnail.
    await writeFileAtomic(cached, png).catch(() => undefined);
  }
  return { path, mime: 'image/png', width: dims.width, height: dims.height, data: png };
}

async function render(file: string, size: number): Promise<Uint8Array> {
  const data = await (await thumbnailInput(file))
    .rotate()
    .resize(size, size, { fit: 'inside' })
    .toColourspace('srgb')
    .png({ compressionLevel: 6 })
    .toBuffer();
  return bytes(data);
}

/**
 * Where a thumbnail's pipeline starts: libvips decodes JPEG, PNG, WebP and TIFF itself; a DICOM
 * file (libvips cannot read it) enters as its first frame rendered through the file's own window,
 * MONOCHROME1 inverted, as the inspector shows it.
 */
async function thumbnailInput(file: string): Promise<Sharp> {
  const data = await readFile(file);
  if (!isDicom(data)) return sharp(data, { limitInputPixels: defaultMaxPixels });
  const image = await openDicomImage(data, basename(file), { frame: 0, maxPixels: defaultMaxPixels });
  return sharp(image.pixels, { raw: { width: image.frame.width, height: image.frame.height, channels: image.frame.channels } });
}

function bytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from a PNG's header (IHDR), or undefined for anything that is not a PNG. */
export function pngSize(png: Uint8Array): { width: number; height: number } | undefined {
  if (png.length < 24 || pngSignature.some((b, i) => png[i] !== b)) return undefined;
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  return width > 0 && height > 0 ? { width, height } : undefined;
}
