import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { LumenError } from '../../../shared/errors';
import { bootstrapMean, rankMethods, type ScoreSummary } from '../../engine/metrics/aggregate';
import { listImages } from '../../engine/image/list-images';
import type { CliIo } from '../command';
import { openLocalApi } from '../local-api';
import { readBoxes, readMask } from '../ground-truth-files';
import { openModelParams } from './shared-options';
import type { ExecutionProviderRequest } from '../../../shared/contract/execution-provider';
import { plural } from '../../../shared/plural';

interface DatasetArgs {
  dataset: string;
  limit?: number | undefined;
  method: string;
  target?: number | undefined;
  params?: Record<string, unknown> | undefined;
  metrics: Array<{ metric: string; params: Record<string, unknown> }>;
  model?: string | undefined;
  card?: string | undefined;
  provider: ExecutionProviderRequest;
  json: boolean;
}

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

/** Sidecar ground truth next to an image: `<stem>.boxes.json` and/or `<stem>.mask.png`. */
async function sidecarTruth(imagePath: string) {
  const stem = imagePath.replace(/\.[^./]+$/, '');
  const [boxesPath, maskPath] = [`${stem}.boxes.json`, `${stem}.mask.png`];
  const boxes = (await exists(boxesPath)) ? await readBoxes(boxesPath) : undefined;
  const mask = (await exists(maskPath)) ? await readMask(maskPath) : undefined;
  return boxes || mask ? { ...(boxes ? { boxes } : {}), ...(mask ? { mask } : {}) } : undefined;
}

/**
 * `lumen evaluate --dataset DIR`: every image under DIR with every method and metric; per method
 * and metric the mean with a bootstrap 95% interval, and the methods ranked. An image that fails
 * is reported and skipped, never the end of the run.
 */
export async function evaluateDataset(args: DatasetArgs, io: CliIo): Promise<number> {
  const root = resolve(args.dataset);
  const all = await listImages(root);
  const images = args.limit ? all.slice(0, args.limit) : all;
  if (images.length === 0) throw new LumenError('invalid-argument', `No images (JPEG, PNG, WebP, TIFF) under ${root}.`, 'Give a folder that holds images, in sub-folders or not.');
  const methods = args.method.split(',').map((m) => m.trim()).filter(Boolean);
  const { api, close } = openLocalApi();
  try {
    const model = await api.call('models.open', openModelParams(args));
    const catalogue = new Map((await api.call('metrics.list', {})).map((m) => [m.id, m]));
    for (const m of args.metrics) if (!catalogue.has(m.metric)) throw new LumenError('invalid-argument', `Unknown metric "${m.metric}".`, `Available: ${[...catalogue.keys()].join(', ')}.`);
    const scores: Record<string, Record<string, number[]>> = Object.fromEntries(methods.map((m) => [m, Object.fromEntries(args.metrics.map((x) => [x.metric, []]))]));
    const failures: Array<{ image: string; method: string; error: string }> = [];
    const t0 = performance.now();
    for (const [k, rel] of images.entries()) {
      const path = join(root, rel);
      let imageId: string;
      let truth;
      try {
        imageId = (await api.call('images.open', { source: 'file', path })).id;
        truth = await sidecarTruth(path);
      } catch (error) {
        for (const method of methods) failures.push({ image: rel, method, error: (error as Error).message });
        continue;
      }
      // Metrics that need ground truth run only on images that have it.
      const metrics = args.metrics.filter((m) => truth || !catalogue.get(m.metric)!.needsGroundTruth);
      for (const method of methods) {
        try {
          const result = await api.call('evaluate', {
            modelId: model.id,
            input: { kind: 'image', imageId },
            method,
            ...(args.target === undefined ? {} : { target: args.target }),
            params: methods.length === 1 ? (args.params ?? {}) : ((args.params?.[method] as Record<string, unknown> | undefined) ?? {}),
            metrics,
            ...(truth ? { groundTruth: truth } : {}),
          });
          for (const m of result.metrics) scores[method]![m.metric]!.push(m.score);
        } catch (error) {
          failures.push({ image: rel, method, error: (error as Error).message });
        }
      }
      const rate = (k + 1) / ((performance.now() - t0) / 1000);
      io.err(`[${k + 1}/${images.length}] ${rel} · ${rate.toFixed(2)} images/s · ETA ${Math.round((images.length - k - 1) / rate)} s`);
    }

    const summary: Array<{ method: string; metric: string; higherIsBetter: boolean } & ScoreSummary> = [];
    const means: Record<string, Record<string, number>> = {};
    for (const method of methods) {
      means[method] = {};
      for (const { metric } of args.metrics) {
        const values = scores[method]![metric]!;
        if (values.length === 0) continue;
        const s = bootstrapMean(values, { seed: 0 });
        means[method]![metric] = s.mean;
        summary.push({ method, metric, higherIsBetter: catalogue.get(metric)!.higherIsBetter, ...s });
      }
    }
    const ranking = rankMethods(means, Object.fromEntries(args.metrics.map((m) => [m.metric, catalogue.get(m.metric)!.higherIsBetter])));
    const report = { dataset: root, images: images.length, model: model.fileName, methods, metrics: args.metrics, summary, ranking, failures };
    if (args.json) {
      io.out(JSON.stringify(report, null, 2));
    } else {
      io.out(`${plural(images.length, 'image')} under ${root}, model ${model.fileName}`);
      for (const s of summary) {
        io.out(`  ${s.method} · ${s.metric}: ${s.mean.toPrecision(4)} [95% CI ${s.ciLow.toPrecision(4)}, ${s.ciHigh.toPrecision(4)}] (n ${s.n}, ${s.higherIsBetter ? 'higher' : 'lower'} is better)`);
      }
      if (methods.length > 1) io.out(`ranking: ${ranking.map((r, i) => `${i + 1}. ${r.method} (mean rank ${r.meanRank.toFixed(2)})`).join(', ')}`);
      for (const f of failures) io.out(`  failed: ${f.image} with ${f.method}: ${f.error}`);
    }
    return failures.length > 0 && summary.length === 0 ? 1 : 0;
  } finally {
    await close();
  }
}
