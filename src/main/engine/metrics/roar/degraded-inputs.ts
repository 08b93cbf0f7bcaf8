import type { AttributionService } from '../../attribution/attribution-service';
import type { PixelSpace } from '../../attribution/pixel-space';
import type { LoadedModel } from '../../model/model-registry';
import { Rng } from '../../random/rng';
import { pixelRelevance, rankDescending } from '../pixel-relevance';

/** The dataset's per-channel mean in tensor space: what replaces removed pixels, as in the paper. */
export function channelMeans(inputs: Float32Array[], pixels: PixelSpace): Float64Array {
  const { height: H, width: W, channels: C, layout } = pixels;
  const plane = H * W;
  const fill = new Float64Array(C);
  for (const input of inputs) for (let i = 0; i < input.length; i++) fill[layout === 'NCHW' ? Math.floor(i / plane) : i % C]! += input[i]! / (plane * inputs.length);
  return fill;
}

/**
 * One image's ROAR variants: the image itself, then for each fraction the image with that share of
 * its pixels replaced by the mean, most relevant first by the method, then in a seeded random order.
 */
export async function degradedInputs(
  attributions: AttributionService,
  job: { model: LoadedModel; method: string; params: Record<string, unknown>; seed: number; signal?: AbortSignal | undefined },
  pixels: PixelSpace,
  fill: Float64Array,
  fractions: number[],
  input: Float32Array,
  index: number,
): Promise<Float32Array[]> {
  const { height: H, width: W, channels: C, layout } = pixels;
  const plane = H * W;
  const map = (await attributions.attribute({ model: job.model, input, method: job.method, params: job.params, signal: job.signal })).data;
  const byMethod = rankDescending(pixelRelevance(map, pixels, 'sum'));
  const byChance = shuffled(plane, new Rng(job.seed * 1_000_003 + index));
  const removed = (order: Uint32Array, f: number): Float32Array => {
    const out = Float32Array.from(input);
    for (let r = 0; r < Math.round(f * plane); r++) {
      const p = order[r]!;
      for (let c = 0; c < C; c++) out[layout === 'NCHW' ? c * plane + p : p * C + c] = fill[c]!;
    }
    return out;
  };
  return [input, ...fractions.map((f) => removed(byMethod, f)), ...fractions.map((f) => removed(byChance, f))];
}

function shuffled(n: number, rng: Rng): Uint32Array {
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
