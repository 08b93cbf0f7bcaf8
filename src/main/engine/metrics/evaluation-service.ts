import { describeZodError, LumenError } from '../../../shared/errors';
import { metricEntry, metricIds } from '../../../shared/metrics/catalogue';
import type { MetricOutcome } from '../../../shared/contract/evaluation';
import type { AttributionService } from '../attribution/attribution-service';
import { PixelSpace } from '../attribution/pixel-space';
import type { Objective } from '../autodiff/objective';
import { gradientRuleSet } from '../autodiff/rule-set';
import type { LoadedModel } from '../model/model-registry';
import type { MetricContext } from './metric';
import { findMetric } from './registry';
import { attributeWithVariant } from './model-variant';

export interface EvaluateRequest {
  model: LoadedModel;
  input: Float32Array;
  method: string;
  target?: number | undefined;
  params?: Record<string, unknown>;
  /** An attribution computed before (same input, target and method); computed here when absent. */
  attribution?: Float32Array | undefined;
  /** The model's class scores for the input, when the caller has them (an audit classifies first): no forward pass repeats them. */
  scores?: Float32Array | undefined;
  metrics: Array<{ metric: string; params: Record<string, unknown> }>;
  /** At the model input size, 1 = object. */
  groundTruth?: Uint8Array | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((done: number, total: number) => void) | undefined;
}

export interface EvaluateOutcome {
  method: string;
  target: number;
  targetLabel: string;
  methodParams: Record<string, unknown>;
  attributionMs: number;
  metrics: MetricOutcome[];
}

/**
 * Evaluates one attribution with several metrics: computes the attribution (or takes the one
 * given), then runs each metric with batched forward passes through the model's perturbation
 * graph. Every metric's parameters are validated before any work starts.
 */
export class EvaluationService {
  constructor(private readonly attributions: AttributionService) {}

  async evaluate(request: EvaluateRequest): Promise<EvaluateOutcome> {
    const jobs = request.metrics.map(({ metric: id, params }) => {
      const metric = findMetric(id);
      const entry = metricEntry(id);
      if (!metric || !entry) throw new LumenError('invalid-argument', `Unknown metric "${id}".`, `Available: ${metricIds.join(', ')}.`);
      const parsed = metric.schema.safeParse(params);
      if (!parsed.success) throw new LumenError('invalid-argument', `Invalid parameters for ${id}: ${describeZodError(parsed.error)}.`, `See \`lumen metrics\` for the parameters of ${id}.`);
      if (entry.needsGroundTruth && !request.groundTruth) {
        throw new LumenError('invalid-argument', `${entry.label} needs ground truth: boxes or a mask of the object.`, 'Pass --boxes boxes.json or --mask mask.png (in the pixels of the model input).');
      }
      return { metric, entry, params: parsed.data as Record<string, unknown> };
    });
    this.attributions.methodFor(request.method);

    const { model, input } = request;
    const card = model.resolved.card;
    let target: number;
    let attribution: Float32Array;
    let methodParams: Record<string, unknown> = request.params ?? {};
    let attributionMs = 0;
    if (request.attribution && request.scores && request.target !== undefined) {
      if (!Number.isInteger(request.target) || request.target < 0 || request.target >= request.scores.length) {
        throw new LumenError('invalid-argument', `Target class ${request.target} is out of range: the model has ${request.scores.length} classes (0 to ${request.scores.length - 1}).`);
      }
      target = request.target;
      attribution = request.attribution;
    } else if (request.attribution) {
      target = await this.attributions.resolveTarget(model, input, request.target);
      attribution = request.attribution;
    } else {
      const outcome = await this.attributions.attribute({ model, input, method: request.method, target: request.target, params: request.params ?? {}, signal: request.signal });
      target = outcome.target;
      attribution = outcome.data;
      methodParams = outcome.params;
      attributionMs = outcome.computeMs;
    }

    const runOptions = { signal: request.signal, onRows: request.onProgress };
    const ctx: MetricContext = {
      input,
      attribution,
      target,
      pixels: new PixelSpace(card),
      groundTruth: request.groundTruth,
      runOptions,
      scoreMasked: async (objective: Objective, count, maskAt, background) => {
        const { graph } = await this.attributions.graphFor(model, gradientRuleSet, objective, { masked: true });
        const out = new Float64Array(count);
        await graph.streamMasks(count, maskAt, input, background, graph.seedFor(target), (i, v) => (out[i] = v), runOptions);
        return out;
      },
      scoreInputs: async (objective: Objective, count, inputAt) => {
        const { graph } = await this.attributions.graphFor(model, gradientRuleSet, objective, { inputGradient: false });
        const out = new Float64Array(count);
        await graph.stream(count, (i) => ({ input: inputAt(i) }), graph.seedFor(target), (i, row) => (out[i] = row.objective), runOptions);
        return out;
      },
      attribute: (inputs) => this.attributions.attributeInputs(model, inputs, request.method, target, methodParams, runOptions),
      model: model.model,
      attributeVariant: (variant, other) => attributeWithVariant(model, variant, { input: other ?? input, method: request.method, target, params: methodParams, signal: request.signal }),
      methodParams,
      classCount: (request.scores ?? (await this.attributions.classScores(model, input))).length,
    };

    const results: MetricOutcome[] = [];
    for (const { metric, entry, params } of jobs) {
      const t0 = performance.now();
      const value = await metric.evaluate(ctx, params);
      results.push({
        metric: entry.id,
        category: entry.category,
        higherIsBetter: entry.higherIsBetter,
        params,
        computeMs: performance.now() - t0,
        ...value,
      });
    }
    return { method: request.method, target, targetLabel: card.output.labels[target] ?? `class ${target}`, methodParams, attributionMs, metrics: results };
  }
}
