import type { z } from 'zod';
import type { MethodId } from '../../../shared/methods/catalogue';
import type { AttributionGraph, RunOptions } from '../attribution/attribution-graph';
import type { SpatialLayer } from '../attribution/layers';
import type { LoadedModel } from '../model/model-registry';
import type { PixelSpace } from '../attribution/pixel-space';
import type { Objective } from '../autodiff/objective';
import type { RuleSet } from '../autodiff/rule-set';

/** Which compiled graph a method wants besides the rule set and objective. */
export interface GraphOptions {
  /** Intermediate tensors whose value and gradient are returned. */
  taps?: string[];
  /** Whether d objective / d input is computed (default true). */
  inputGradient?: boolean;
  /** A forward-only perturbation graph that takes masks (see AttributionGraph.streamMasks). */
  masked?: boolean;
  /**
   * A second rule set whose graph (same objective and taps) is merged into this one: one
   * onnxruntime run, the forward pass done once; its taps follow this graph's (see paired-graph.ts).
   */
  pairedWith?: RuleSet;
}

/** What a method gets besides its parameters: the model's graphs, the target, and the plumbing. */
export interface MethodContext {
  /** One row's dims, with the leading batch axis of 1. */
  inputDims: number[];
  target: number;
  /**
   * Each input's own target, where one call explains several images (a batched audit); only set
   * for methods that declare `perInputTargets`. Absent, every input is explained for `target`.
   */
  targets?: number[] | undefined;
  pixels: PixelSpace;
  /** A compiled graph for a rule set and objective (compiled once, then cached). */
  graph(rules: RuleSet, objective: Objective, options?: GraphOptions): Promise<AttributionGraph>;
  /** Passed to every graph run: cancellation and progress. */
  runOptions: RunOptions;
  /** Looks up another method (noise tunnels wrap them). */
  method(id: string): AttributionMethod<z.ZodType> | undefined;
  /** A spatial feature map of the model (CAM methods): the one named, or the default. */
  layer(name: string | undefined): Promise<SpatialLayer>;
  /** The model being explained (for methods that read its structure, like CAM). */
  model: LoadedModel;
}

/** Figures a method reports with its map, e.g. the completeness error of Integrated Gradients. */
export type Figures = Record<string, number>;

export interface Attribution {
  map: Float32Array;
  figures: Figures;
  /** Segment-based methods: the segment label of each pixel and each segment's value. */
  segments?: { labels: Int32Array; values: number[] };
  /** Region methods (XRAI): ranked regions and each pixel's rank. */
  regions?: { ranks: Int32Array; list: Array<{ rank: number; gain: number; area: number; cumulativeArea: number }> };
  /** What the user should know about this result (e.g. a constant that decided the map); shown with it. */
  notes?: string[];
}

/**
 * Every attribution method: an id from the shared catalogue (which holds the parameter schema the
 * UI renders) and `attributeMany`, which explains several inputs for one target at once so that
 * wrappers (noise tunnels) batch through it.
 */
export interface AttributionMethod<S extends z.ZodType> {
  id: MethodId;
  schema: S;
  attributeMany(ctx: MethodContext, inputs: Float32Array[], params: z.output<S>): Promise<Attribution[]>;
  /**
   * The method honours `ctx.targets` and gives each input the map it gets alone (no state shared
   * between inputs, such as one random stream), so an audit may explain several images, each for
   * its own class, in shared runs.
   */
  perInputTargets?: true;
}

export function defineMethod<S extends z.ZodType>(method: AttributionMethod<S>): AttributionMethod<S> {
  return method;
}

/** The class input `i` of a call is explained for: its own target in a batched call, else the call's. */
export function targetOf(ctx: MethodContext, i: number): number {
  return ctx.targets?.[i] ?? ctx.target;
}

export function multiply(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! * b[i]!;
  return out;
}

export function subtract(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! - b[i]!;
  return out;
}

export function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
}
