import type { ModelCard } from '../../../shared/model-card';
import { channelCount } from '../../../shared/model-card';
import type { GeometryPlan } from '../../../shared/image-geometry';
import type { Pixels } from './resample';

/** ITU-R BT.601 luma, the weights PIL uses for convert('L'). */
const luma = [0.299, 0.587, 0.114] as const;

/**
 * Writes resampled pixels into the model's input tensor: channel conversion (gray <-> colour,
 * RGB -> BGR), value normalisation ((pixel01 * scale - mean) / std) and layout (NCHW or NHWC).
 * Letterbox padding is filled with the card's fill value, normalised the same way.
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
  const put = (y: number, x: number, c: number, v01: number): void => {
    const index = chw ? (c * H + y) * W + x : (y * W + x) * C + c;
    out[index] = v01 * a[c]! + b[c]!;
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
  return out;
}
