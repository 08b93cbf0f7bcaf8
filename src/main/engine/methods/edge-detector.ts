import { EdgeDetectorParams } from '../../../shared/methods/control-methods';
import { toChannelsLast } from '../image/channels-first';
import { defineMethod } from './method';

/**
 * A control, not an explanation: the Sobel gradient magnitude of the image's grey levels (mean
 * over channels, borders replicated). It ignores the model entirely, which is why Adebayo et al.
 * show it next to saliency maps: a map that looks as plausible as this one proves nothing, and
 * the sanity checks must find that it does not change when the model is randomised.
 */
export const edgeDetectorMethod = defineMethod({
  id: 'edge-detector',
  schema: EdgeDetectorParams,
  async attributeMany(ctx, inputs) {
    const { height: H, width: W, channels: C, layout } = ctx.pixels;
    return inputs.map((input) => {
      const p01 = ctx.pixels.toPixels(input);
      const hwc = layout === 'NHWC' ? p01 : toChannelsLast(p01, H, W, C);
      const grey = new Float64Array(H * W);
      for (let p = 0; p < H * W; p++) for (let c = 0; c < C; c++) grey[p]! += hwc[p * C + c]! / C;
      const at = (y: number, x: number): number => grey[Math.min(H - 1, Math.max(0, y)) * W + Math.min(W - 1, Math.max(0, x))]!;
      const map = new Float32Array(H * W);
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          const gx = at(y - 1, x + 1) + 2 * at(y, x + 1) + at(y + 1, x + 1) - at(y - 1, x - 1) - 2 * at(y, x - 1) - at(y + 1, x - 1);
          const gy = at(y + 1, x - 1) + 2 * at(y + 1, x) + at(y + 1, x + 1) - at(y - 1, x - 1) - 2 * at(y - 1, x) - at(y - 1, x + 1);
          map[y * W + x] = Math.hypot(gx, gy);
        }
      }
      return { map, figures: {} };
    });
  },
});
