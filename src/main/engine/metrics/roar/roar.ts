import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { z } from 'zod';
import type { RoarParams, RoarResult } from '../../../../shared/contract/roar';
import { LumenError } from '../../../../shared/errors';
import type { AttributionService } from '../../attribution/attribution-service';
import { PixelSpace } from '../../attribution/pixel-space';
import { gradientRuleSet } from '../../autodiff/rule-set';
import { inspectImage } from '../../image/image-source';
import { preprocess } from '../../image/preprocess';
import type { LoadedModel } from '../../model/model-registry';
import { findLinearHead } from '../../onnx/linear-head';
import { Rng } from '../../random/rng';
import { pixelRelevance, rankDescending } from '../pixel-relevance';
import { readLabelledFolder, splitTrainTest } from './labelled-folder';
import { predictSoftmaxRegression, trainSoftmaxRegression } from './softmax-regression';

type Request = z.output<typeof RoarParams> & { model: LoadedModel; signal?: AbortSignal | undefined; onProgress?: ((done: number, total: number) => void) | undefined };

/**
 * ROAR, "RemOve And Retrain" (Hooker et al. 2019), with the head retrained (`roar-head`): for each
 * image of a labelled folder, rank its pixels by the method's attribution (for the model's top
 * class) and by a random permutation; for each fraction t, replace the top t of the pixels by the
 * dataset's per-channel mean, extract the frozen features the model's linear head reads, retrain
 * a new head on the training split and measure its test accuracy. If the method finds the pixels
 * that matter, accuracy falls faster than under random removal. Retraining the whole network is
 * what the paper does; it needs gradients with respect to every parameter, which Lumen's compiler
 * does not produce yet, so only the head is retrained, and every result says so.
 */
export async function runRoar(attributions: AttributionService, request: Request): Promise<RoarResult> {
  const t0 = performance.now();
  if (request.retrain === 'full') {
    throw new LumenError('invalid-argument', 'Full retraining is not available: it needs gradients with respect to every weight, which the attribution compiler does not produce yet.', 'Use retrain "head" (roar-head): the classification head is retrained on frozen features.');
  }
  attributions.methodFor(request.method);
  const { model } = request;
  const card = model.resolved.card;
  const head = findLinearHead(model.model, card.output.name);
  if ('failure' in head) throw new LumenError('unsupported-model', `ROAR retrains the model's linear classification head, but its class scores come from ${head.failure}.`);
  const root = resolve(request.dataset);
  const folder = await readLabelledFolder(root);
  const images = request.limit ? pickBalanced(folder.images, request.limit) : folder.images;
  const { train, test } = splitTrainTest(images, request.testFraction, request.seed);
  const fractions = [...request.fractions].sort((a, b) => a - b);
  const pixels = new PixelSpace(card);
  const { height: H, width: W, channels: C, layout } = pixels;
  const plane = H * W;
  const { graph } = await attributions.graphFor(model, gradientRuleSet, 'logit', { taps: [head.features], inputGradient: false });
  const features = async (inputs: Float32Array[]): Promise<Float32Array[]> => {
    const out: Float32Array[] = new Array(inputs.length);
    await graph.stream(inputs.length, (i) => ({ input: inputs[i]! }), graph.seedFor(0), (i, row) => (out[i] = Float32Array.from(row.taps[0]!.value)), { signal: request.signal });
    return out;
  };
  const load = async (path: string): Promise<Float32Array> => (await preprocess(await inspectImage(new Uint8Array(await readFile(join(root, path))), path), card)).data;

  const estimateFor = (perImageMs: number) => ({
    images: images.length,
    attributions: images.length,
    featurePasses: images.length * (1 + 2 * fractions.length),
    headTrainings: 1 + 2 * fractions.length,
    estimatedMs: perImageMs * images.length,
  });
  if (request.estimateOnly) {
    const t = performance.now();
    const input = await load(images[0]!.path);
    await attributions.attribute({ model, input, method: request.method, params: request.params, signal: request.signal });
    await features(Array.from({ length: 1 + 2 * fractions.length }, () => input));
    return emptyResult(request, folder.labels, train.length, test.length, fractions, estimateFor(performance.now() - t), performance.now() - t0);
  }

  // The dataset's per-channel mean (tensor space) replaces removed pixels, as in the paper.
  const inputs: Float32Array[] = [];
  for (const image of images) inputs.push(await load(image.path));
  const fill = new Float64Array(C);
  for (const input of inputs) for (let i = 0; i < input.length; i++) fill[layout === 'NCHW' ? Math.floor(i / plane) : i % C]! += input[i]! / (plane * inputs.length);

  // Per image, per variant (unmodified, then method and random per fraction): the head's features.
  const variants = 1 + 2 * fractions.length;
  const table: Float32Array[][] = [];
  let perImageMs = 0;
  for (const [k, input] of inputs.entries()) {
    if (request.signal?.aborted) throw new LumenError('cancelled', 'ROAR was cancelled.');
    const t = performance.now();
    const map = (await attributions.attribute({ model, input, method: request.method, params: request.params, signal: request.signal })).data;
    const byMethod = rankDescending(pixelRelevance(map, pixels, 'sum'));
    const byChance = shuffled(plane, new Rng(request.seed * 1_000_003 + k));
    const removed = (order: Uint32Array, f: number): Float32Array => {
      const out = Float32Array.from(input);
      for (let r = 0; r < Math.round(f * plane); r++) {
        const p = order[r]!;
        for (let c = 0; c < C; c++) out[layout === 'NCHW' ? c * plane + p : p * C + c] = fill[c]!;
      }
      return out;
    };
    table.push(await features([input, ...fractions.map((f) => removed(byMethod, f)), ...fractions.map((f) => removed(byChance, f))]));
    perImageMs += performance.now() - t;
    request.onProgress?.(k + 1, inputs.length);
  }

  const index = new Map(images.map((image, k) => [image, k]));
  const accuracy = (variant: number): number => {
    const head = trainSoftmaxRegression(train.map((i) => table[index.get(i)!]![variant]!), train.map((i) => i.label), folder.labels.length);
    const predicted = predictSoftmaxRegression(head, test.map((i) => table[index.get(i)!]![variant]!));
    return predicted.filter((p, i) => p === test[i]!.label).length / test.length;
  };
  const methodAccuracy = fractions.map((_, f) => accuracy(1 + f));
  const randomAccuracy = fractions.map((_, f) => accuracy(1 + fractions.length + f));
  const score = fractions.reduce((s, _, f) => s + randomAccuracy[f]! - methodAccuracy[f]!, 0) / fractions.length;
  return {
    mode: 'roar-head',
    method: request.method,
    classes: folder.labels,
    trainImages: train.length,
    testImages: test.length,
    fractions,
    baselineAccuracy: accuracy(0),
    methodAccuracy,
    randomAccuracy,
    score,
    estimate: estimateFor(perImageMs / Math.max(1, images.length)),
    computeMs: performance.now() - t0,
    notes: notesFor(variants),
  };
}

function notesFor(variants: number): string[] {
  return [`roar-head: the classification head was retrained (${variants} times) on frozen features; the rest of the network was not retrained.`];
}

function emptyResult(request: Request, classes: string[], trainImages: number, testImages: number, fractions: number[], estimate: RoarResult['estimate'], computeMs: number): RoarResult {
  return { mode: 'roar-head', method: request.method, classes, trainImages, testImages, fractions, baselineAccuracy: 0, methodAccuracy: [], randomAccuracy: [], score: 0, estimate, computeMs, notes: ['Estimate only: nothing was retrained.'] };
}

function shuffled(n: number, rng: Rng): Uint32Array {
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** At most `limit` images, taken round-robin over the classes so that each keeps some. */
function pickBalanced<T extends { label: number }>(images: T[], limit: number): T[] {
  const byClass = new Map<number, T[]>();
  for (const i of images) byClass.set(i.label, [...(byClass.get(i.label) ?? []), i]);
  const out: T[] = [];
  for (let round = 0; out.length < limit && [...byClass.values()].some((list) => list.length > round); round++) {
    for (const list of byClass.values()) if (list[round] && out.length < limit) out.push(list[round]!);
  }
  return out;
}
