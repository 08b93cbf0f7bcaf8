import { LumenError } from '../../../shared/errors';
import { describeZodError } from '../../../shared/errors';
import { NoiseTunnelParams } from '../../../shared/methods/gradient-methods';
import type { MethodId } from '../../../shared/methods/catalogue';
import { Rng } from '../random/rng';
import { defineMethod, type Attribution, type Figures, type MethodContext } from './method';

type Aggregate = 'mean' | 'mean-square' | 'variance';

/**
 * Noisy copies handed to the base method at once: enough for full onnxruntime runs (the memory plan
 * gives ResNet-18 five rows a run), few enough that an image's copies and maps stay small (32 at
 * 224 x 224 x 3 are 19 MB each way; before, a batch of 16 images at 25 samples held 480 MB).
 */
const samplesPerChunk = 32;

/**
 * The context for one chunk's call to the base method: its progress (rows of this chunk) becomes
 * progress over every copy of the call, in the same rows, so the bar moves once from 0 to the end
 * rather than once per chunk.
 */
function chunkContext(ctx: MethodContext, samplesBefore: number, chunkSamples: number, totalSamples: number): MethodContext {
  const report = ctx.runOptions.onRows;
  if (!report) return ctx;
  const onRows = (done: number, total: number): void => {
    const rowsPerSample = total / chunkSamples;
    report(Math.round(rowsPerSample * samplesBefore + done), Math.round(rowsPerSample * totalSamples));
  };
  return { ...ctx, runOptions: { ...ctx.runOptions, onRows } };
}

/** Methods a noise tunnel may wrap: pixel methods that are not noise tunnels themselves. */
const wrappable = new Set(['gradient', 'gradient-x-input', 'guided-backprop', 'deconvnet', 'integrated-gradients', 'deeplift', 'lrp-epsilon', 'lrp-composite']);

/**
 * The noise tunnel (SmoothGrad and its variants): run a base method on noisy copies of the input
 * and aggregate: the mean (SmoothGrad), the mean of squares (SmoothGrad²) or the variance
 * (VarGrad). The copies go to the base method a chunk at a time, so they share batched runs.
 */
function noiseTunnel(id: MethodId, aggregate: Aggregate, defaultBase: string) {
  return defineMethod({
    id,
    schema: NoiseTunnelParams,
    async attributeMany(ctx, inputs, params) {
      const baseId = params.base ?? defaultBase;
      if (!wrappable.has(baseId)) {
        throw new LumenError('invalid-argument', `A noise tunnel cannot wrap "${baseId}".`, `Choose one of: ${[...wrappable].join(', ')}.`);
      }
      const base = ctx.method(baseId)!;
      const baseParams = base.schema.safeParse(params.baseParams);
      if (!baseParams.success) throw new LumenError('invalid-argument', `Invalid baseParams for ${baseId}: ${describeZodError(baseParams.error)}.`);
      const rng = new Rng(params.seed);
      const results: Attribution[] = [];
      let buffers: Float32Array[] = [];
      const totalSamples = inputs.length * params.samples;
      let samplesDone = 0;
      for (const input of inputs) {
        let lo = Infinity;
        let hi = -Infinity;
        for (const v of input) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
        const sigma = params.noiseStd ?? params.noiseFraction * (hi - lo);
        const size = input.length;
        const sum = new Float64Array(size);
        // Squares only where the aggregate needs them: SmoothGrad's mean does not.
        const squares = aggregate === 'mean' ? undefined : new Float64Array(size);
        const figures: Figures = { noiseStd: sigma, samples: params.samples };
        if (buffers.length === 0 || buffers[0]!.length !== size) buffers = Array.from({ length: Math.min(samplesPerChunk, params.samples) }, () => new Float32Array(size));
        // The noisy copies go to the base method a chunk at a time and are summed as they come
        // back: the draws are the same (copy after copy, input after input) as making them all at
        // once, and memory holds one chunk, not every copy of every image with its map.
        for (let done = 0; done < params.samples; done += samplesPerChunk) {
          // The chunk's buffers are refilled: its maps are summed before the next chunk is drawn.
          const noisy = buffers.slice(0, Math.min(samplesPerChunk, params.samples - done)).map((buffer) => rng.addNormal(input, sigma, buffer));
          for (const r of await base.attributeMany(chunkContext(ctx, samplesDone, noisy.length, totalSamples), noisy, baseParams.data)) {
            const m = r.map;
            for (let j = 0; j < size; j++) sum[j]! += m[j]!;
            if (squares) for (let j = 0; j < size; j++) squares[j]! += m[j]! * m[j]!;
            for (const [k, v] of Object.entries(r.figures)) figures[`mean ${k}`] = (figures[`mean ${k}`] ?? 0) + v / params.samples;
          }
          samplesDone += noisy.length;
        }
        const n = params.samples;
        const map = new Float32Array(size);
        for (let j = 0; j < size; j++) {
          const mean = sum[j]! / n;
          map[j] = aggregate === 'mean' ? mean : aggregate === 'mean-square' ? squares![j]! / n : squares![j]! / n - mean * mean;
        }
        results.push({ map, figures });
      }
      return results;
    },
  });
}

export const smoothGradMethod = noiseTunnel('smoothgrad', 'mean', 'gradient');
export const smoothGradSquaredMethod = noiseTunnel('smoothgrad-squared', 'mean-square', 'gradient');
export const varGradMethod = noiseTunnel('vargrad', 'variance', 'gradient');
export const smoothIgMethod = noiseTunnel('smooth-ig', 'mean', 'integrated-gradients');
