import { z } from 'zod';
import { Bytes } from './binary';

export const ImageSummary = z.object({
  /** Content address: the sha256 of the file's bytes, so the same image always has the same id. */
  id: z.string(),
  name: z.string(),
  format: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  channels: z.number().int().positive(),
  bitDepth: z.union([z.literal(8), z.literal(16)]),
  /** A PNG the renderer can show (browsers cannot show TIFF or 16-bit data), at most 1024 px. */
  preview: z.object({ mime: z.literal('image/png'), width: z.number().int(), height: z.number().int(), data: Bytes }),
});
export type ImageSummary = z.infer<typeof ImageSummary>;

export const Sample = z.object({
  id: z.string(),
  fileName: z.string(),
  title: z.string(),
  license: z.string(),
});
export type Sample = z.infer<typeof Sample>;
