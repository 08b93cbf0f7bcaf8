import { z } from 'zod';
import { LumenError } from '../../../shared/errors';
import type { GraphIndex } from '../onnx/graph-index';
import type { Emitter } from './emitter';

/**
 * What is differentiated, per batch row b: sum_k seed[b,k] * s[b,k] where s is
 * - `logit`: the class scores before any final Softmax/Sigmoid (the default, as in Captum's usual
 *   use and the Grad-CAM paper);
 * - `probability`: softmax of the logits (or the model's own Softmax output);
 * - `log-probability`: log-softmax of the logits;
 * - `sigmoid`: the sigmoid of each logit on its own, a multi-label model's finding probability
 *   (chest X-ray findings are independent: softmax across them would be meaningless).
 */
export const Objective = z.enum(['logit', 'probability', 'log-probability', 'sigmoid']);
export type Objective = z.infer<typeof Objective>;

export interface ResolvedObjective {
  /** The forward tensor where the backward sweep starts. */
  start: string;
  /** The [batch, classes] tensor whose seeded sum is the objective value. */
  scores: string;
  /** Emits the gradient of the objective with respect to `start`. */
  seedGradient(seed: string, mode: 'gradient' | 'relevance'): string;
  /**
   * Emits the same [batch, classes] scores for another logits tensor of the same shape (DeepLIFT's
   * reference pass), so that f(x') comes out of the run that computes f(x).
   */
  scoresOf(logits: string): string;
  note?: string;
}

const passThrough = new Set(['Identity', 'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze']);

/** The Softmax or Sigmoid that produces `output` (through reshapes), if any. */
function finalActivation(index: GraphIndex, output: string): { op: 'Softmax' | 'Sigmoid'; input: string } | undefined {
  let name = output;
  for (let guard = 0; guard < 32; guard++) {
    const p = index.producer.get(name)?.node;
    if (!p) return undefined;
    if (p.opType === 'Softmax' || p.opType === 'Sigmoid') return { op: p.opType, input: p.inputs[0]! };
    if (!passThrough.has(p.opType)) return undefined;
    name = p.inputs[0]!;
  }
  return undefined;
}

export function resolveObjective(index: GraphIndex, output: string, objective: Objective, emit: Emitter): ResolvedObjective {
  const activation = finalActivation(index, output);
  const logits = activation ? activation.input : output;
  const normalised = objective === 'logit' ? '' : objective === 'sigmoid' ? ', each through a sigmoid' : ', normalised by softmax';
  // A final Sigmoid under the sigmoid objective is the model's own output: nothing to say.
  const own = activation?.op === 'Sigmoid' && objective === 'sigmoid';
  const note = activation && !own ? `The model ends in ${activation.op}; the objective "${objective}" uses the scores before it${normalised}.` : undefined;
  const withNote = <T extends object>(o: T): T & { note?: string } => (note ? { ...o, note } : o);
  if (objective === 'logit') {
    return withNote({
      start: logits,
      scores: logits,
      scoresOf: (other: string) => other,
      seedGradient: (seed: string, mode: 'gradient' | 'relevance') => (mode === 'relevance' ? emit.mul(seed, logits) : seed),
    });
  }
  const reject = (): never => {
    throw new LumenError('invalid-argument', `Relevance propagation starts from a logit; the objective "${objective}" cannot seed it.`, 'Use objective "logit" with LRP.');
  };
  if (objective === 'sigmoid') {
    const p = emit.op('Sigmoid', [logits]);
    return withNote({
      start: logits,
      scores: p,
      scoresOf: (other: string) => emit.op('Sigmoid', [other]),
      // d/dz sum(seed * sigmoid(z)) = seed * p * (1 - p), each finding on its own
      seedGradient: (seed: string, mode: 'gradient' | 'relevance') => (mode === 'relevance' ? reject() : emit.mul(seed, emit.mul(p, emit.sub(emit.scalar(1), p)))),
    });
  }
  if (objective === 'probability') {
    const p = emit.op('Softmax', [logits], { axis: 1 });
    return withNote({
      start: logits,
      scores: p,
      scoresOf: (other: string) => emit.op('Softmax', [other], { axis: 1 }),
      // d/dz sum(seed * softmax(z)) = p * (seed - sum(seed * p))
      seedGradient: (seed: string, mode: 'gradient' | 'relevance') =>
        mode === 'relevance' ? reject() : emit.mul(p, emit.sub(seed, emit.reduceSum(emit.mul(seed, p), [1]))),
    });
  }
  const logp = emit.op('LogSoftmax', [logits], { axis: 1 });
  return withNote({
    start: logits,
    scores: logp,
    scoresOf: (other: string) => emit.op('LogSoftmax', [other], { axis: 1 }),
    // d/dz sum(seed * log softmax(z)) = seed - softmax(z) * sum(seed)
    seedGradient: (seed: string, mode: 'gradient' | 'relevance') =>
      mode === 'relevance' ? reject() : emit.sub(seed, emit.mul(emit.op('Exp', [logp]), emit.reduceSum(seed, [1]))),
  });
}
