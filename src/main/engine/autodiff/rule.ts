import type { Attributes } from '../onnx/graph-index';
import type { Node, Tensor } from '../onnx/ir';
import type { Emitter } from './emitter';

/**
 * What a backward rule sees of one forward node: its tensors, their probed shapes, its constants,
 * and the emitter to write backward nodes with.
 */
export interface BackwardContext {
  readonly node: Node;
  readonly attrs: Attributes;
  readonly emit: Emitter;
  input(index: number): string;
  output(index: number): string;
  /** Dims observed by the shape probe (batch 2 for batchable models, else batch 1). */
  shape(name: string): number[];
  /** Whether an axis of a tensor grows with the batch. */
  isBatchAxis(name: string, axis: number): boolean;
  constant(name: string): Tensor | undefined;
  /** Integer values known at compile time: a constant, or shape arithmetic the probe saw. */
  knownInts(name: string): number[] | undefined;
  /** The op type of the node producing a tensor (undefined for inputs and initializers). */
  producerOp(name: string): string | undefined;
  /** Whether input `index` leads back to a tensor being differentiated. */
  needsGrad(index: number): boolean;
  /** The same tensor in the reference pass (DeepLIFT rules only). */
  reference(name: string): string;
  /** Raises the compile error for a case the rule cannot differentiate, naming the node. */
  unsupported(why: string): never;
  /** What the rule's `prepare` computed for this node. */
  prepared<T>(): T;
}

/** What a rule's asynchronous preparation may look at. */
export interface PrepareContext {
  readonly node: Node;
  readonly opset: number;
  shape(name: string): number[];
  knownInts(name: string): number[] | undefined;
  knownFloats(name: string): number[] | undefined;
  unsupported(why: string): never;
}

export type Grads = Array<string | undefined>;

export interface OpRule {
  /** Inputs through which gradient flows; others (shapes, indices, weights) are not differentiated. */
  differentiable: number[] | 'all';
  /** Further inputs the rule differentiates when they are parameters being trained (Conv weights). */
  parameters?: number[];
  /** Float inputs that stay fixed when training (BatchNormalization's running statistics). */
  frozen?: number[];
  /** Given the gradients of the outputs (undefined = zero), the gradients of the inputs. */
  backward(ctx: BackwardContext, gradOutputs: Grads): Grads;
  /** Work done before the sweep that needs onnxruntime (e.g. measuring Resize's linear map). */
  prepare?(ctx: PrepareContext): Promise<unknown>;
}

export type RuleTable = Record<string, OpRule>;

/** What docs/operators.md says about one rule (the document is generated from the rule table). */
export interface RuleDoc {
  /**
   * The forms of the operator the rule accepts, where they differ between opsets 11 and 21 (an
   * attribute that became an input, a new attribute or mode); absent when there is one form.
   */
  forms?: string;
  /** What a user may need to know: limits, conventions at kinks, how the backward is computed. */
  note?: string;
}

/** A rule of the gradient table, with what the documentation says about it. */
export type DocumentedRule = OpRule & { doc: RuleDoc };

/** Rules documented together: one section of docs/operators.md, one file of rules/. */
export interface RuleFamily {
  title: string;
  /** What holds for every rule of the family. */
  summary: string;
  rules: Record<string, DocumentedRule>;
}

/** Attaches documentation to a rule. */
export function documented(rule: OpRule, doc: RuleDoc = {}): DocumentedRule {
  return { ...rule, doc };
}
