import { z } from 'zod';

/**
 * A user's annotation on a project image: a box, an arrow, a free-hand outline or a text note,
 * drawn in the image's own pixel coordinates (so it stays put whatever the display size), stored
 * in the project with its author and times.
 */
const Point = z.tuple([z.number().finite(), z.number().finite()]);

export const AnnotationShape = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('box'), x0: z.number().finite(), y0: z.number().finite(), x1: z.number().finite(), y1: z.number().finite() }).strict(),
  z.object({ kind: z.literal('arrow'), from: Point, to: Point }).strict(),
  z.object({ kind: z.literal('freehand'), points: z.array(Point).min(2).max(10_000) }).strict(),
  z.object({ kind: z.literal('text'), at: Point }).strict(),
]);
export type AnnotationShape = z.infer<typeof AnnotationShape>;

export const ImageRef = z.object({ project: z.string().min(1), dataset: z.string().min(1).max(200), path: z.string().min(1).max(4096) }).strict();

export const Annotation = z.object({
  id: z.number().int().positive(),
  shape: AnnotationShape,
  /** The note: a text annotation's text, or a caption for a shape (may be empty). */
  text: z.string().max(10_000),
  /** A CSS colour (#rrggbb). */
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  author: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Annotation = z.infer<typeof Annotation>;

export const SaveAnnotationParams = ImageRef.extend({
  /** Absent: a new annotation; present: edits that one. */
  id: z.number().int().positive().optional(),
  shape: AnnotationShape,
  text: z.string().max(10_000).default(''),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour is #rrggbb').default('#ffcc00'),
  /**
   * Only without an id: a deleted annotation put back (undo of a delete) keeps who drew it and
   * when; its edit time is the time it is put back.
   */
  restore: z.object({ author: z.string().min(1).max(200), createdAt: z.string().datetime() }).strict().optional(),
}).strict()
  .refine((p) => p.id === undefined || p.restore === undefined, { message: 'restore is only for a new annotation (no id)', path: ['restore'] });

export const DeleteAnnotationParams = z.object({ project: z.string().min(1), id: z.number().int().positive() }).strict();
