import { z } from 'zod';
import { Bytes, Float32 } from './binary';

export const ImageSummary = z.object({
  /**
   * Content address: the sha256 of the file's bytes, so the same image always has the same id
   * (with `#frame<N>` appended for a frame of a multi-frame DICOM file other than the first).
   */
  id: z.string(),
  name: z.string(),
  format: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  channels: z.number().int().positive(),
  bitDepth: z.union([z.literal(8), z.literal(16)]),
  /** A PNG the renderer can show (browsers cannot show TIFF or 16-bit data), at most 1024 px. */
  preview: z.object({ mime: z.literal('image/png'), width: z.number().int(), height: z.number().int(), data: Bytes }),
  /** What the user should know about how the image was read (a DICOM volume opened on its first frame, an unusable VOI LUT). */
  notes: z.array(z.string()).optional(),
  /** For a multi-frame DICOM file: the 0-based frame opened (what the model sees) and how many there are. */
  frame: z.object({ index: z.number().int().nonnegative(), count: z.number().int().positive() }).optional(),
});
export type ImageSummary = z.infer<typeof ImageSummary>;

export const Sample = z.object({
  id: z.string(),
  fileName: z.string(),
  title: z.string(),
  license: z.string(),
});
export type Sample = z.infer<typeof Sample>;

/**
 * A DICOM frame's modality values (after Rescale Slope/Intercept: Hounsfield units for CT) at the
 * preview's size, with the facts the inspector's window/level and scale bar need. The renderer
 * windows them itself, so dragging the window needs no request per move.
 */
export const ImageValues = z.object({
  /** Size of `values` (the preview's, at most 1024 px on the longer side); area-averaged from the frame. */
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  values: Float32,
  /** The full-size frame's size, its smallest and largest value. */
  frameWidth: z.number().int().positive(),
  frameHeight: z.number().int().positive(),
  min: z.number(),
  max: z.number(),
  frame: z.number().int().min(0),
  frames: z.number().int().positive(),
  photometric: z.string(),
  modality: z.string().optional(),
  windows: z.array(z.object({ center: z.number(), width: z.number(), explanation: z.string().optional() })),
  voiLutFunction: z.enum(['LINEAR', 'LINEAR_EXACT', 'SIGMOID']),
  /**
   * The file's own display transform is a VOI LUT table (no window): the preview PNG shows it, and
   * the inspector keeps showing that until a window is chosen or dragged.
   */
  hasVoiLut: z.boolean(),
  /** mm per pixel of the full-size frame, and which tag said so. */
  spacing: z.object({ rowMm: z.number().positive(), columnMm: z.number().positive(), source: z.enum(['PixelSpacing', 'ImagerPixelSpacing']) }).optional(),
});
export type ImageValues = z.infer<typeof ImageValues>;

export const ImageValuesParams = z
  .object({
    imageId: z.string().min(1).max(200),
    /** 0-based; the image's own frame (the first) when absent. */
    frame: z.number().int().min(0).optional(),
  })
  .strict();
