import type { ModelCard } from '../../../shared/model-card';
import { channelCount } from '../../../shared/model-card';
import type { GeometryPlan } from '../../../shared/image-geometry';
import type { Pixels } from './resample';

/** ITU-R BT.601 luma, the weights PIL uses for convert('L'). */
const luma = [0.299, 0.587, 0.114] as const;

/**
 * Writes resampled pixels into the model's input tensor: channel conversion (gray <-> colour,
 * RGB -> BGR), the card's invert / valueRange / zscore when it sets them, value normalisation
 * ((u * scale - mean) / std) and layout (NCHW or NHWC); the order is the one written in
 * ModelCard's preprocess (src/shared/model-card.ts). Letterbox padding is filled with the card's
 * fill value, taken through the same steps (but not counted in the z-score's statistics).
 */
export function toTensor(pixels: Pixels, card: ModelCard, plan: GeometryPlan): Float32Array {
  const { layout, color, height: H, width: W } = card.input;
  const { scale, mean, std } = card.preprocess;
  const C = channelCount(color);
  const out = new Float32Array(C * H * W);
  const unit = 1 / (pixels.bitDepth === 16 ? 65535 : 255);

  // Per model channel c: value = pixel01 * a[c] + b[c].
  const a = new Float32Array(C);
  const b = new Float32Array(C);
  for (let c = 0; c < C; c++) {
    const m = mean.length === 1 ? mean[0]! : mean[c]!;
    const s = std.length === 1 ? std[0]! : std[c]!;
    a[c] = scale / s;
    b[c] = -m / s;
  }
  const chw = layout === 'NCHW';
  // A card with invert/valueRange/zscore writes unit values first and normalises them at the end
  // (z-score needs the whole image); a card without them keeps the direct arithmetic, unchanged.
  const steps = unitSteps(card);
  const units = steps ? new Float64Array(out.length) : null;
  const isImage = steps?.zscore ? new Uint8Array(H * W) : null;
  const put = (y: number, x: number, c: number, v01: number): void => {
    const index = chw ? (c * H + y) * W + x : (y * W + x) * C + c;
    if (units) units[index] = steps!.map(v01);
    else out[index] = v01 * a[c]! + b[c]!;
  };

  const fill = card.preprocess.resize.mode === 'letterbox' ? card.preprocess.resize.fill : 0;
  if (plan.resized.width !== W || plan.resized.height !== H) {
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) for (let c = 0; c < C; c++) put(y, x, c, fill);
  }

  const src = pixels.data;
  const sc = pixels.channels;
  // Source channel feeding model channel c (for colour models): RGB order unless BGR.
  const order = color === 'BGR' ? [2, 1, 0] : [0, 1, 2];
  for (let y = 0; y < pixels.height; y++) {
    const ty = y + plan.offset.top;
    if (ty < 0 || ty >= H) continue;
    for (let x = 0; x < pixels.width; x++) {
      const tx = x + plan.offset.left;
      if (tx < 0 || tx >= W) continue;
      const p = (y * pixels.width + x) * sc;
      if (isImage) isImage[ty * W + tx] = 1;
      if (C === 1) {
        const v = sc === 1 ? src[p]! : luma[0] * src[p]! + luma[1] * src[p + 1]! + luma[2] * src[p + 2]!;
        put(ty, tx, 0, v * unit);
      } else {
        for (let c = 0; c < 3; c++) {
          const v = sc === 1 ? src[p]! : src[p + order[c]!]!;
          put(ty, tx, c, v * unit);
        }
      }
    }
  }
  if (units) finishUnits(units, out, { C, H, W, chw, a, b, zscoreOver: isImage });
  return out;
}

/** Steps 3 and 4 of the card's preprocessing (invert, valueRange) as one affine map of u, if any is set. */
function unitSteps(card: ModelCard): { map: (u: number) => number; zscore: boolean } | null {
  const { invert, valueRange, zscore } = card.preprocess;
  if (!invert && !valueRange && !zscore) return null;
  const [low, high] = valueRange ?? [0, 1];
  const flip = invert === true;
  return { map: (u) => low + (flip ? 1 - u : u) * (high - low), zscore: zscore === true };
}

/**
 * Step 5 (the image's own z-score, per model channel, over the pixels marked as image) and step 6
 * ((u * scale - mean) / std as a[c] * u + b[c]) from the unit values into the tensor.
 */
function finishUnits(
  units: Float64Array,
  out: Float32Array,
  g: { C: number; H: number; W: number; chw: boolean; a: Float32Array; b: Float32Array; zscoreOver: Uint8Array | null },
): void {
  const { C, H, W, chw, a, b, zscoreOver } = g;
  const at = (p: number, c: number): number => (chw ? c * H * W + p : p * C + c);
  for (let c = 0; c < C; c++) {
    let shift = 0;
    let factor = 1;
    if (zscoreOver) {
      let n = 0;
      let sum = 0;
      for (let p = 0; p < H * W; p++) {
        if (!zscoreOver[p]) continue;
        sum += units[at(p, c)]!;
        n++;
      }
      const mean = n > 0 ? sum / n : 0;
      let squares = 0;
      for (let p = 0; p < H * W; p++) if (zscoreOver[p]) squares += (units[at(p, c)]! - mean) ** 2;
      const std = n > 0 ? Math.sqrt(squares / n) : 0;
      // A constant image has no spread to divide by: every value is its mean, z = 0.
      shift = mean;
      factor = std > 1e-12 * Math.max(1, Math.abs(mean)) ? 1 / std : 0;
    }
    for (let p = 0; p < H * W; p++) {
      const i = at(p, c);
      out[i] = (units[i]! - shift) * factor * a[c]! + b[c]!;
    }
  }
}
