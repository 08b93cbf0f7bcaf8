import type { z } from 'zod';
import type { MetricId } from '../../../shared/metrics/catalogue';
import type { PixelSpace } from '../attribution/pixel-space';
import type { RunOptions } from '../attribution/attribution-graph';
import type { Objective } from '../autodiff/objective';
import type { Model } from '../onnx/ir';

export interface Curve {
  name: string;
  xLabel: string;
  yLabel: string;
  x: number[];
  y: number[];
  labels?: string[];
}

/** What a metric measures for one input, attribution and target. */
export interface MetricValue {
  score: number;
  curves: Curve[];
  figures: Record<string, number>;
  forwardPasses: number;
}

/** What a metric gets besides its parameters. */
export interface MetricContext {
  /** One input row in the model's layout. */
  input: Float32Array;
  /** The attribution being evaluated: per channel (the input's size) or one value per pixel. */
  attribution: Float32Array;
  target: number;
  pixels: PixelSpace;
  /** Ground truth at the model input size (1 = object), when the request gave one. */
  groundTruth: Uint8Array | undefined;
  /**
   * The model's score for the target on `count` composites of the input and `background`:
   * mask 1 keeps the input's pixel, 0 takes the background's (all channels), through a batched
   * perturbation graph.
   */
  scoreMasked(objective: Objective, count: number, maskAt: (i: number) => Float32Array, background: Float32Array): Promise<Float64Array>;
  /** The model's score for the target on `count` arbitrary inputs (made on demand, batched). */
  scoreInputs(objective: Objective, count: number, inputAt: (i: number) => Float32Array): Promise<Float64Array>;
  /** The evaluated method (same parameters and target) on other inputs: robustness metrics. */
  attribute(inputs: Float32Array[]): Promise<Float32Array[]>;
  /** The model's graph (read-only), for metrics that derive variants of it. */
  model: Model;
  /**
   * The evaluated method on the input (or another one), for the target, with a variant of the model
   * (other weights or another graph, same card): sanity checks and axioms. The variant's sessions
   * are released afterwards.
   */
  attributeVariant(variant: Model, input?: Float32Array): Promise<Float32Array>;
  /** The evaluated method's parameters, defaults filled in. */
  methodParams: Record<string, unknown>;
  /** Number of classes the model scores. */
  classCount: number;
  runOptions: RunOptions;
}

/**
 * Every metric: an id from the shared catalogue (which holds the parameter schema the UI renders)
 * and `evaluate`, deterministic given the seed in its parameters.
 */
export interface Metric<S extends z.ZodType> {
  id: MetricId;
  schema: S;
  evaluate(ctx: MetricContext, params: z.output<S>): Promise<MetricValue>;
}

export function defineMetric<S extends z.ZodType>(metric: Metric<S>): Metric<S> {
  return metric;
}
