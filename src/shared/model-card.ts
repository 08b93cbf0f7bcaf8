import { z } from 'zod';

/**
 * The model card: everything Lumen must know to turn an image into the model's input tensor and
 * the model's output into labelled scores. Whatever the ONNX file tells (input name, layout, size,
 * channels, output, Softmax at the end) is filled in automatically; the rest (mean/std, crop policy,
 * labels) comes from a card file next to the model or from defaults, and every field records where
 * its value came from so the user can see what was guessed.
 */

export const Layout = z.enum(['NCHW', 'NHWC']);
export type Layout = z.infer<typeof Layout>;

/** Channel order the model expects. GRAY means a single channel. */
export const ColorOrder = z.enum(['RGB', 'BGR', 'GRAY']);
export type ColorOrder = z.infer<typeof ColorOrder>;

/**
 * How the image geometry becomes the model's height x width:
 * - `stretch`: resize the whole image to H x W (aspect ratio not kept);
 * - `center-crop`: crop the centred region with the model's aspect ratio whose size is
 *   `cropFraction` of the largest such region, then resize (torchvision's Resize(256) +
 *   CenterCrop(224) is cropFraction 224/256 = 0.875);
 * - `letterbox`: resize to fit inside H x W keeping the aspect ratio, pad with `fill` (unit range).
 */
export const ResizePolicy = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('stretch') }),
  z.object({ mode: z.literal('center-crop'), cropFraction: z.number().gt(0).lte(1).default(1) }),
  z.object({ mode: z.literal('letterbox'), fill: z.number().min(0).max(1).default(0) }),
]);
export type ResizePolicy = z.infer<typeof ResizePolicy>;

export const Interpolation = z.enum(['nearest', 'linear', 'cubic', 'lanczos3']);
export type Interpolation = z.infer<typeof Interpolation>;

/**
 * What the class-score output holds: `logits` (one class per image, turned into probabilities by
 * softmax), `multilabel-logits` (independent findings, turned into probabilities by a sigmoid each,
 * as in chest X-ray models), or `probabilities` (the model already applied its activation).
 */
export const OutputKind = z.enum(['logits', 'multilabel-logits', 'probabilities']);
export type OutputKind = z.infer<typeof OutputKind>;

export const ModelCard = z
  .object({
    name: z.string().min(1),
    input: z.object({
      name: z.string().min(1),
      layout: Layout,
      height: z.number().int().min(1).max(16384),
      width: z.number().int().min(1).max(16384),
      color: ColorOrder,
    }),
    preprocess: z.object({
      resize: ResizePolicy,
      interpolation: Interpolation,
      /**
       * Pixels are first brought to [0, 1] by their bit depth (/255 or /65535), then multiplied by
       * `scale` (1 for torchvision-style cards, 255 for Caffe-style cards with means in 0..255).
       * The tensor value is (pixel01 * scale - mean[c]) / std[c].
       */
      scale: z.number().positive(),
      /** One value for all channels, or one per channel in the model's channel order. */
      mean: z.array(z.number()).min(1).max(3),
      std: z.array(z.number().positive()).min(1).max(3),
    }),
    output: z.object({
      name: z.string().min(1),
      kind: OutputKind,
      labels: z.array(z.string()),
    }),
  })
  .superRefine((card, ctx) => {
    const channels = card.input.color === 'GRAY' ? 1 : 3;
    for (const key of ['mean', 'std'] as const) {
      const n = card.preprocess[key].length;
      if (n !== 1 && n !== channels) {
        ctx.addIssue({
          code: 'custom',
          path: ['preprocess', key],
          message: `has ${n} values; give 1 or ${channels} (one per ${card.input.color} channel)`,
        });
      }
    }
  });
export type ModelCard = z.infer<typeof ModelCard>;

/** Where a card field's value came from, shown next to it in the UI and in `lumen info`. */
export const FieldSource = z.enum(['model', 'card', 'default']);
export type FieldSource = z.infer<typeof FieldSource>;

/**
 * A card file as a user writes it (`<model>.card.json` next to the model, or passed explicitly):
 * every field optional, labels inline or as a file relative to the card.
 */
export const ModelCardFile = z
  .object({
    name: z.string().min(1).optional(),
    input: ModelCard.shape.input.partial().optional(),
    preprocess: ModelCard.shape.preprocess.partial().optional(),
    output: ModelCard.shape.output.partial().optional(),
    labelsFile: z.string().min(1).optional(),
  })
  .strict();
export type ModelCardFile = z.infer<typeof ModelCardFile>;

/** A card together with the origin of each of its fields (dotted paths such as `input.layout`). */
export const ResolvedCard = z.object({
  card: ModelCard,
  sources: z.record(z.string(), FieldSource),
  notes: z.array(z.string()),
});
export type ResolvedCard = z.infer<typeof ResolvedCard>;

export function channelCount(color: ColorOrder): 1 | 3 {
  return color === 'GRAY' ? 1 : 3;
}
