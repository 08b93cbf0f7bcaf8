import { LumenError } from '../../../../shared/errors';
import { computeInFloat32 } from '../../autodiff/canonizers/float32-compute';
import { encodeModel } from '../../onnx/encode';
import { Attributes } from '../../onnx/graph-index';
import type { Model } from '../../onnx/ir';
import { defaultOpset } from '../../onnx/opset-upgrade';
import type { LoadedModel } from '../../model/model-registry';
import { createSession } from '../../runtime/execution-providers';
import { floatData, inputTensor } from '../../runtime/model-tensors';
import type { Session } from '../../runtime/onnxruntime';

/** One attention block's probabilities for one input: [heads, T, T], row = query token. */
export interface AttentionBlock {
  /** The Softmax node's output tensor in the ONNX graph. */
  tensor: string;
  heads: number;
  tokens: number;
  data: Float32Array;
}

/** The model with its candidate attention Softmax outputs exposed, as an onnxruntime session. */
interface AttentionSession {
  session: Session;
  inputName: string;
  candidates: Array<{ tensor: string; axis: number }>;
}

const sessions = new WeakMap<LoadedModel, Promise<AttentionSession>>();

/**
 * Softmax nodes that may normalise attention scores over the key axis: their axis must be the
 * last one, which only the output's rank (known after the run) confirms. Before opset 13 Softmax
 * flattens from `axis` on (default 1), so only an explicit last axis is a key-axis softmax there.
 */
export function softmaxCandidates(model: Model): Array<{ tensor: string; axis: number }> {
  const opset = defaultOpset(model);
  return model.graph.nodes
    .filter((n) => n.opType === 'Softmax' && (n.domain === '' || n.domain === 'ai.onnx') && n.outputs[0])
    .map((n) => ({ tensor: n.outputs[0]!, axis: new Attributes(n).int('axis', opset >= 13 ? -1 : 1) }));
}

/** A forward-only session of the model that also returns every candidate Softmax output. */
function attentionSession(loaded: LoadedModel): Promise<AttentionSession> {
  let entry = sessions.get(loaded);
  if (!entry) {
    entry = (async () => {
      const model = computeInFloat32(loaded.model);
      const candidates = softmaxCandidates(model);
      if (candidates.length === 0) throw noAttention(loaded, 'it has no Softmax node');
      const present = new Set(model.graph.outputs.map((o) => o.name));
      const exposed: Model = {
        ...model,
        graph: { ...model.graph, outputs: [...model.graph.outputs, ...candidates.filter((c) => !present.has(c.tensor)).map((c) => ({ name: c.tensor }))] },
      };
      const { session } = await createSession(encodeModel(exposed), loaded.executionProvider.requested, { graphOptimizationLevel: 'all', logSeverityLevel: 3 });
      return { session, inputName: loaded.resolved.card.input.name, candidates };
    })();
    entry.catch(() => sessions.delete(loaded));
    sessions.set(loaded, entry);
  }
  return entry;
}

/**
 * One forward pass of the model on `input` ([1, ...] dims), returning the attention
 * probabilities of every block in graph order: the outputs of Softmax nodes over the last axis
 * shaped [1, heads, T, T] (or [heads, T, T] where batch and heads are merged, batch 1).
 */
export async function attentionBlocks(loaded: LoadedModel, input: Float32Array, dims: number[]): Promise<AttentionBlock[]> {
  const { session, inputName, candidates } = await attentionSession(loaded);
  const out = await session.run({ [inputName]: inputTensor(session, inputName, input, dims) }, candidates.map((c) => c.tensor));
  const blocks: AttentionBlock[] = [];
  for (const { tensor, axis } of candidates) {
    const t = out[tensor]!;
    const shape = attentionShape([...t.dims], axis);
    if (shape === 'windowed') throw windowedAttention('Attention rollout', tensor, [...t.dims]);
    if (shape) blocks.push({ tensor, ...shape, data: floatData(t, tensor) });
  }
  if (blocks.length === 0) throw noAttention(loaded, `none of its ${candidates.length} Softmax node(s) gives attention probabilities [batch, heads, tokens, tokens] over the last axis`);
  const tokens = blocks[0]!.tokens;
  const other = blocks.find((b) => b.tokens !== tokens);
  if (other) {
    throw new LumenError(
      'unsupported-model',
      `Attention rollout needs every attention block to attend over the same tokens, but ${blocks[0]!.tensor} has ${tokens} and ${other.tensor} has ${other.tokens} (windowed or pooled attention, as in Swin).`,
      'Use Grad-CAM on a token layer or a gradient method for this model.',
    );
  }
  return blocks;
}

/**
 * What a key-axis Softmax output is, from its dims at batch 1: one block's attention probabilities
 * ([1, heads, T, T], or [heads, T, T] with batch and heads merged), windowed attention
 * ([windows, heads, T, T], as in Swin), or something else (undefined).
 */
export function attentionShape(dims: readonly number[], axis: number): { heads: number; tokens: number } | 'windowed' | undefined {
  const rank = dims.length;
  if ((axis < 0 ? axis + rank : axis) !== rank - 1) return undefined;
  if (rank < 3 || dims[rank - 1] !== dims[rank - 2] || dims[rank - 1]! <= 1) return undefined;
  if (rank === 4 && dims[0]! > 1) return 'windowed';
  const heads = rank === 4 ? dims[1]! : rank === 3 ? dims[0]! : undefined;
  return heads === undefined ? undefined : { heads, tokens: dims[rank - 1]! };
}

/**
 * Windowed attention (Swin) attends within each window, so a product over blocks of token-to-token
 * maps has no meaning there; leaving those blocks out would quietly explain only the last stage.
 */
export function windowedAttention(method: string, tensor: string, dims: number[]): LumenError {
  return new LumenError(
    'unsupported-model',
    `${method} needs every attention block to attend over all tokens, but ${tensor} is windowed attention ([${dims.join(', ')}]: windows, heads, tokens, tokens, as in Swin).`,
    'Use Grad-CAM on a stage output (the layer picker offers them) or a gradient method for this model.',
  );
}

function noAttention(loaded: LoadedModel, why: string): LumenError {
  return new LumenError(
    'unsupported-model',
    `Attention rollout found no attention in ${loaded.fileName}: it looks for the Softmax over the key axis of each attention block (output [batch, heads, tokens, tokens]), and ${why}.`,
    'Attention rollout applies to transformers (ViT, DeiT and the like); use a gradient, CAM or perturbation method for this model.',
    { model: loaded.fileName },
  );
}
