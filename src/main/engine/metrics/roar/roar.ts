import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { z } from 'zod';
import type { RoarParams, RoarResult } from '../../../../shared/contract/roar';
import { LumenError } from '../../../../shared/errors';
import type { AttributionService } from '../../attribution/attribution-service';
import { PixelSpace } from '../../attribution/pixel-space';
import { gradientRuleSet } from '../../autodiff/rule-set';
import { inspectImage } from '../../image/image-source';
import { inputDims, preprocess } from '../../image/preprocess';
import type { LoadedModel } from '../../model/model-registry';
import { findLinearHead } from '../../onnx/linear-head';
import { channelMeans, degradedInputs } from './degraded-inputs';
import { defaultFullRetrainOptions, FullRetrainer, type FullRetrainOptions } from './full-retrain';
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
 * what the paper does: `retrain: "full"` (`roar-full`, see runRoarFull) does it for small models.
 */
export async function runRoar(attributions: AttributionService, request: Request): Promise<RoarResult> {
  if (request.retrain === 'full') return runRoarFull(attributions, request);
  const t0 = performance.now();
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
  const fill = channelMeans(inputs, pixels);

  // Per image, per variant (unmodified, then method and random per fraction): the head's features.
  const variants = 1 + 2 * fractions.length;
  const table: Float32Array[][] = [];
  let perImageMs = 0;
  for (const [k, input] of inputs.entries()) {
    if (request.signal?.aborted) throw new LumenError('cancelled', 'ROAR was cancelled.');
    const t = performance.now();
    table.push(await features(await degradedInputs(attributions, request, pixels, fill, fractions, input, k)));
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

/**
 * ROAR with the whole network retrained (`roar-full`), as in the paper: the attributions come from
 * the given model; for the unmodified images and for each fraction and ranking (method, random),
 * the network is trained again on the training split (from scratch by default, see
 * FullRetrainer) and its test accuracy measured. Small models only (FullRetrainer's limit).
 */
async function runRoarFull(attributions: AttributionService, request: Request): Promise<RoarResult> {
  const t0 = performance.now();
  attributions.methodFor(request.method);
  const { model } = request;
  const card = model.resolved.card;
  const given = Object.fromEntries(Object.entries(request.training ?? {}).filter(([, v]) => v !== undefined)) as Partial<FullRetrainOptions>;
  const options: FullRetrainOptions = { ...defaultFullRetrainOptions, ...given, seed: request.seed };
  const trainer = await FullRetrainer.create(model.model, { name: card.input.name, dims: inputDims(card, 1) }, card.output.name);
  try {
    const root = resolve(request.dataset);
    const folder = await readLabelledFolder(root);
    if (folder.labels.length > trainer.classCount) {
      throw new LumenError('invalid-argument', `The dataset has ${folder.labels.length} classes but the model scores only ${trainer.classCount}: full retraining keeps the model's output layer.`);
    }
    const images = request.limit ? pickBalanced(folder.images, request.limit) : folder.images;
    const { train, test } = splitTrainTest(images, request.testFraction, request.seed);
    const fractions = [...request.fractions].sort((a, b) => a - b);
    const pixels = new PixelSpace(card);
    const load = async (path: string): Promise<Float32Array> => (await preprocess(await inspectImage(new Uint8Array(await readFile(join(root, path))), path), card)).data;
    const variants = 1 + 2 * fractions.length;
    const steps = trainer.stepsFor(train.length, options);
    const estimateFor = (attributionMs: number, stepMs: number) => ({
      images: images.length,
      attributions: images.length,
      featurePasses: 0,
      headTrainings: 0,
      parameters: trainer.parameterCount,
      fullTrainings: variants,
      trainingSteps: variants * steps,
      parameterImageEpochs: trainer.parameterCount * train.length * options.epochs * variants,
      estimatedMs: attributionMs * images.length + stepMs * variants * steps,
    });
    const record = { ...options };
    const notes = [
      `roar-full: the whole network (${trainer.parameterCount.toLocaleString('en-US')} parameters) was retrained ${variants} times, ${options.init === 'scratch' ? 'from scratch (re-initialised as PyTorch does)' : 'from the given weights (fine-tuned)'}, ${options.epochs} epochs of SGD with momentum ${options.momentum}, learning rate ${options.learningRate}, batch ${trainer.batchable ? options.batchSize : 1}.`,
      ...trainer.notes,
    ];
    if (request.estimateOnly) {
      const input = await load(images[0]!.path);
      let t = performance.now();
      await attributions.attribute({ model, input, method: request.method, params: request.params, signal: request.signal });
      const attributionMs = performance.now() - t;
      t = performance.now();
      const batch = Math.min(train.length, trainer.batchable ? options.batchSize : 1);
      await trainer.train(Array.from({ length: batch }, () => input), new Array<number>(batch).fill(0), { ...options, epochs: 1 }, { signal: request.signal });
      const estimate = estimateFor(attributionMs, performance.now() - t);
      return { ...emptyResult(request, folder.labels, train.length, test.length, fractions, estimate, performance.now() - t0), mode: 'roar-full', training: record };
    }

    const inputs: Float32Array[] = [];
    for (const image of images) inputs.push(await load(image.path));
    const fill = channelMeans(inputs, pixels);

    // Progress: attributions, then the training steps, counted in one total.
    const total = images.length + variants * steps;
    let done = 0;
    const tick = (): void => request.onProgress?.(++done, total);
    const table: Float32Array[][] = [];
    let attributionMs = 0;
    for (const [k, input] of inputs.entries()) {
      if (request.signal?.aborted) throw new LumenError('cancelled', 'ROAR was cancelled.');
      const t = performance.now();
      table.push(await degradedInputs(attributions, request, pixels, fill, fractions, input, k));
      attributionMs += performance.now() - t;
      tick();
    }

    const index = new Map(images.map((image, k) => [image, k]));
    let trainingMs = 0;
    const accuracy = async (variant: number): Promise<number> => {
      const t = performance.now();
      const weights = await trainer.train(
        train.map((i) => table[index.get(i)!]![variant]!),
        train.map((i) => i.label),
        options,
        { signal: request.signal, onProgress: tick },
      );
      trainingMs += performance.now() - t;
      const predicted = await trainer.predict(weights, test.map((i) => table[index.get(i)!]![variant]!));
      return predicted.filter((p, i) => p === test[i]!.label).length / test.length;
    };
    const baselineAccuracy = await accuracy(0);
    const methodAccuracy: number[] = [];
    for (let f = 0; f < fractions.length; f++) methodAccuracy.push(await accuracy(1 + f));
    const randomAccuracy: number[] = [];
    for (let f = 0; f < fractions.length; f++) randomAccuracy.push(await accuracy(1 + fractions.length + f));
    const score = fractions.reduce((s, _, f) => s + randomAccuracy[f]! - methodAccuracy[f]!, 0) / fractions.length;
    return {
      mode: 'roar-full',
      method: request.method,
      classes: folder.labels,
      trainImages: train.length,
      testImages: test.length,
      fractions,
      baselineAccuracy,
      methodAccuracy,
      randomAccuracy,
      score,
      estimate: estimateFor(attributionMs / Math.max(1, images.length), trainingMs / Math.max(1, variants * steps)),
      computeMs: performance.now() - t0,
      training: record,
      notes,
    };
  } finally {
    await trainer.release();
  }
}
