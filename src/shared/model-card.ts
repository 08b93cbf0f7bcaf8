import { z } from 'zod';
import { windowPresetNames } from './windowing/window-presets';

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
 * as in chest X-ray models), `multilabel-probabilities` (independent findings whose Sigmoid the model
 * already applied), or `probabilities` (the model already applied its softmax).
 */
export const OutputKind = z.enum(['logits', 'multilabel-logits', 'multilabel-probabilities', 'probabilities']);
export type OutputKind = z.infer<typeof OutputKind>;

/**
 * When a multi-label model calls a finding present: probability >= threshold. One number for every
 * finding, or one per finding by label (findings not named keep 0.5).
 */
export const FindingThresholds = z.union([z.number().gt(0).lt(1), z.record(z.string().min(1), z.number().gt(0).lt(1))]);
export type FindingThresholds = z.infer<typeof FindingThresholds>;

/**
 * Photometric Interpretation (0028,0004) values a card may accept. Colour data reaches the model as
 * RGB whatever the file's YBR encoding; PALETTE COLOR is listed so a card can refuse it.
 */
export const Photometric = z.enum([
  'MONOCHROME1',
  'MONOCHROME2',
  'PALETTE COLOR',
  'RGB',
  'YBR_FULL',
  'YBR_FULL_422',
  'YBR_PARTIAL_420',
  'YBR_ICT',
  'YBR_RCT',
]);
export type Photometric = z.infer<typeof Photometric>;

/**
 * The VOI window a card applies to a DICOM image's modality values (e.g. Hounsfield units):
 * - `file`: the file's first Window Center/Width (with its VOI LUT Function), else its first VOI LUT
 *   table, else the frame's full range (smallest to largest value), as the DICOM reader renders it;
 * - `preset`: a named CT window in HU (src/shared/windowing/window-presets.ts: lung -600/1500,
 *   mediastinum 50/350, bone 400/1800, brain 40/80, soft-tissue 40/400, abdomen 50/400, liver 30/150);
 * - `fixed`: this centre and width, in the file's modality units.
 * Presets and fixed windows use DICOM's LINEAR function (PS3.3 C.11.2.1.2.1) to [0, 1]. The window
 * the inspector shows an image with never changes what the model sees. A card without a window
 * treats DICOM images as `file` does. A PNG/JPEG/TIFF has no modality values: `file` leaves it as it
 * is (its own range is its window), `preset` and `fixed` refuse it with an error saying so.
 */
export const CardWindow = z.discriminatedUnion('source', [
  z.object({ source: z.literal('file') }).strict(),
  z.object({ source: z.literal('preset'), name: z.enum(windowPresetNames) }).strict(),
  z.object({ source: z.literal('fixed'), center: z.number(), width: z.number().gte(1) }).strict(),
]);
export type CardWindow = z.infer<typeof CardWindow>;

/** A value range [low, high] that the unit range [0, 1] is mapped onto (low < high). */
export const ValueRange = z
  .tuple([z.number(), z.number()])
  .refine(([low, high]) => low < high, { message: 'must be [low, high] with low < high' });

export const ModelCard = z
  .object({
    name: z.string().min(1),
    input: z.object({
      name: z.string().min(1),
      layout: Layout,
      height: z.number().int().min(1).max(16384),
      width: z.number().int().min(1).max(16384),
      color: ColorOrder,
      /**
       * The DICOM photometric interpretations the model accepts (e.g. ["MONOCHROME1", "MONOCHROME2"]);
       * absent: any. A DICOM image with another one is refused, naming both. Other images are not checked.
       */
      acceptsPhotometric: z.array(Photometric).min(1).optional(),
    }),
    /**
     * How pixels become tensor values, in this order (each step only when its field is set; a card
     * with none of window/invert/valueRange/zscore computes exactly what it always did):
     *  1. unit value u in [0, 1]: a PNG/JPEG/TIFF pixel divided by 255 or 65535; a DICOM frame's
     *     modality values through `window` (the file's when absent), then flipped (1 - u) for
     *     MONOCHROME1 so that bright always means a high value; colour DICOM divided by 255 or
     *     65535. Then the geometry (`resize`), u kept at 16 bits for DICOM.
     *  2. channels: a gray image is repeated into 3 channels for RGB/BGR models, colour becomes
     *     BT.601 luma for GRAY models (one- or three-channel replication follows `input.color`).
     *  3. `invert`: u = 1 - u.
     *  4. `valueRange` [low, high]: u = low + u * (high - low) (torchxrayvision: [-1024, 1024]).
     *  5. `zscore`: u = (u - mean(u)) / std(u), the image's own mean and population std over the
     *     pixels the model sees (letterbox padding excluded), per model channel; a constant image
     *     gives 0.
     *  6. tensor value = (u * scale - mean[c]) / std[c].
     * Letterbox padding is a pixel whose u (after step 1) is `fill`.
     */
    preprocess: z.object({
      resize: ResizePolicy,
      interpolation: Interpolation,
      /**
       * Pixels are first brought to [0, 1] by their bit depth (/255 or /65535), then multiplied by
       * `scale` (1 for torchvision-style cards, 255 for Caffe-style cards with means in 0..255).
       * The tensor value is (pixel01 * scale - mean[c]) / std[c] (step 6 above).
       */
      scale: z.number().positive(),
      /** One value for all channels, or one per channel in the model's channel order. */
      mean: z.array(z.number()).min(1).max(3),
      std: z.array(z.number().positive()).min(1).max(3),
      window: CardWindow.optional(),
      invert: z.boolean().optional(),
      valueRange: ValueRange.optional(),
      zscore: z.boolean().optional(),
    }),
    output: z.object({
      name: z.string().min(1),
      kind: OutputKind,
      labels: z.array(z.string()),
      /** Multi-label decision thresholds on each finding's probability (see FindingThresholds). */
      thresholds: FindingThresholds.optional(),
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
    // null for an optional field clears it (an edit in the Models screen that removes a window).
    input: ModelCard.shape.input.partial().extend({ acceptsPhotometric: z.array(Photometric).min(1).nullable().optional() }).optional(),
    preprocess: ModelCard.shape.preprocess
      .partial()
      .extend({
        window: CardWindow.nullable().optional(),
        invert: z.boolean().nullable().optional(),
        valueRange: ValueRange.nullable().optional(),
        zscore: z.boolean().nullable().optional(),
      })
      .optional(),
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

/** The card's medical preprocessing fields (besides geometry and scale/mean/std). */
export const medicalPreprocessFields = ['window', 'invert', 'valueRange', 'zscore'] as const;

export function channelCount(color: ColorOrder): 1 | 3 {
  return color === 'GRAY' ? 1 : 3;
}
