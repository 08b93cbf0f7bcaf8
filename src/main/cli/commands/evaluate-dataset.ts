import { resolve } from 'node:path';
import type { CliIo } from '../command';
import { openLocalApi } from '../local-api';
import { openModelParams } from './shared-options';
import type { ExecutionProviderRequest } from '../../../shared/contract/execution-provider';
import { plural } from '../../../shared/plural';

interface DatasetArgs {
  dataset: string;
  limit?: number | undefined;
  /** The project that keeps the jobs and results (default: the engine's own for the folder). */
  project?: string | undefined;
  method: string;
  target?: number | undefined;
  params?: Record<string, unknown> | undefined;
  metrics: Array<{ metric: string; params: Record<string, unknown> }>;
  model?: string | undefined;
  card?: string | undefined;
  provider: ExecutionProviderRequest;
  json: boolean;
}

/**
 * `lumen evaluate --dataset DIR`: every image under DIR with every method and metric, run by the
 * engine as audit jobs (`evaluation.dataset`: resumed when run again); per method and metric the
 * mean with a bootstrap 95% interval, and the methods ranked. An image that fails is reported
 * and skipped, never the end of the run.
 */
export async function evaluateDataset(args: DatasetArgs, io: CliIo): Promise<number> {
  const methods = args.method.split(',').map((m) => m.trim()).filter(Boolean);
  // One method takes --params as its own; several take them by method id.
  const params = methods.length === 1 ? { [methods[0]!]: args.params ?? {} } : ((args.params ?? {}) as Record<string, Record<string, unknown>>);
  const { api, close } = openLocalApi();
  try {
    const model = await api.call('models.open', openModelParams(args));
    const t0 = performance.now();
    const result = await api.call(
      'evaluation.dataset',
      { modelId: model.id, folder: resolve(args.dataset), methods, params, metrics: args.metrics, ...(args.target === undefined ? {} : { target: args.target }), ...(args.limit ? { limit: args.limit } : {}), ...(args.project ? { project: resolve(args.project) } : {}) },
      {
        onProgress: (p) => {
          const rate = p.done / ((performance.now() - t0) / 1000);
          io.err(`[${p.done}/${p.total}] ${p.message ?? ''} · ${rate.toFixed(2)} images/s · ETA ${Math.round((p.total - p.done) / rate)} s`);
        },
      },
    );
    const { summary, ranking, failures } = result;
    const report = { dataset: result.folder, images: result.images, model: model.fileName, methods, metrics: args.metrics, summary, ranking, failures, project: result.project, runs: result.runs };
    if (args.json) {
      io.out(JSON.stringify(report, null, 2));
    } else {
      io.out(`${plural(result.images, 'image')} under ${result.folder}, model ${model.fileName}`);
      for (const s of summary) {
        io.out(`  ${s.method} · ${s.metric}: ${s.mean.toPrecision(4)} [95% CI ${s.ciLow.toPrecision(4)}, ${s.ciHigh.toPrecision(4)}] (n ${s.n}, ${s.higherIsBetter ? 'higher' : 'lower'} is better)`);
      }
      if (methods.length > 1) io.out(`ranking: ${ranking.map((r, i) => `${i + 1}. ${r.method} (mean rank ${r.meanRank.toFixed(2)})`).join(', ')}`);
      for (const f of failures) io.out(`  failed: ${f.image} with ${f.method}: ${f.error}`);
      io.out(`results kept in ${result.project} (run again to resume)`);
    }
    return failures.length > 0 && summary.length === 0 ? 1 : 0;
  } finally {
    await close();
  }
}
