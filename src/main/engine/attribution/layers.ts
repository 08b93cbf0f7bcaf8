import { LumenError } from '../../../shared/errors';
import { inputDims } from '../image/preprocess';
import type { LoadedModel } from '../model/model-registry';
import { GraphIndex } from '../onnx/graph-index';
import { probeModel, type Probe } from '../onnx/shape-probe';
import { computeInFloat32 } from '../autodiff/canonizers/float32-compute';
import { cyclicallyShifted } from './cyclic-shift';
import { defaultTokenLayer } from './default-token-layer';
import { tokenGridOf } from './token-grid';

/**
 * A spatial feature map a CAM method can read: a CNN's [C, H, W] map, or a transformer's token
 * sequence seen as its patch grid (token-grid.ts).
 */
export interface SpatialLayer {
  /** The ONNX tensor name (what `layer` parameters take). */
  name: string;
  /** The operator producing it. */
  op: string;
  /** Its shape at batch 1. */
  shape: number[];
  /** `tokens`: [1, extraTokens + H·W, C], the patches row-major after the class/register tokens. */
  layout: 'NCHW' | 'NHWC' | 'tokens';
  /** Class, distillation and register tokens before the patches (token layers only), left out of the grid. */
  extraTokens?: number;
  channels: number;
  height: number;
  width: number;
  /** The default for CAM methods: the last such map before the class scores. */
  isDefault: boolean;
}

const probes = new WeakMap<LoadedModel, Promise<Probe>>();

function probeOf(model: LoadedModel): Promise<Probe> {
  let probe = probes.get(model);
  if (!probe) {
    const card = model.resolved.card;
    // Half-precision models are probed as the float32 graph their attributions use (the probe feeds float32).
    probe = probeModel(computeInFloat32(model.model), { name: card.input.name, dims: inputDims(card, 1) });
    probes.set(model, probe);
  }
  return probe;
}

/**
 * Which axes of a rank-4 feature map are space: the layout whose height/width ratio matches the
 * input's (feature maps shrink both by the same stride), the model's own layout on a tie.
 */
function layoutOf(shape: number[], inputAspect: number, modelLayout: 'NCHW' | 'NHWC'): 'NCHW' | 'NHWC' {
  const [, a, b, c] = shape as [number, number, number, number];
  const nchw = Math.abs(Math.log(b / c / inputAspect));
  const nhwc = Math.abs(Math.log(a / b / inputAspect));
  if (Math.abs(nchw - nhwc) < 1e-9) return modelLayout;
  return nchw < nhwc ? 'NCHW' : 'NHWC';
}

/**
 * The rank-4 tensors with a spatial extent (at least 2 x 2), and the token sequences that map to a
 * patch grid (token-grid.ts), that lie between the image and the class scores, in graph order; not
 * the tensors a Swin roll displaces (cyclic-shift.ts), nor, once the tokens begin, rank-4 tensors off
 * the token grids (attention scores, per-head tensors). The default layer of Grad-CAM and its
 * relatives is the last feature map, or in a transformer the token layer default-token-layer.ts picks.
 */
export async function spatialLayers(model: LoadedModel): Promise<SpatialLayer[]> {
  const card = model.resolved.card;
  const probe = await probeOf(model);
  const index = new GraphIndex(model.model.graph);
  const order = index.topologicalOrder();
  const fromInput = new Set([card.input.name]);
  for (const node of order) if (node.inputs.some((i) => fromInput.has(i))) for (const o of node.outputs) fromInput.add(o);
  const toOutput = new Set([card.output.name]);
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i]!;
    if (node.outputs.some((o) => toOutput.has(o))) for (const input of node.inputs) toOutput.add(input);
  }
  const aspect = card.input.height / card.input.width;
  // Between Swin's roll and its inverse the cells are displaced: no map is read there.
  const shifted = cyclicallyShifted(index, probe);
  const layers: SpatialLayer[] = [];
  for (const node of order) {
    const name = node.outputs[0];
    if (!name || !fromInput.has(name) || !toOutput.has(name) || node.opType === 'Identity' || shifted.has(name)) continue;
    const shape = probe.get(name)?.dims;
    if (!shape || probe.get(name)?.type !== 'float32') continue;
    if (shape.length === 3) {
      const featureMaps = layers.filter((l) => l.layout !== 'tokens').map((l): [number, number, number] => [l.height, l.width, l.channels]).reverse();
      const grid = tokenGridOf(shape, { featureMaps, inputHeight: card.input.height, inputWidth: card.input.width });
      if (grid) layers.push({ name, op: node.opType, shape, layout: 'tokens', extraTokens: grid.extraTokens, channels: shape[2]!, height: grid.height, width: grid.width, isDefault: false });
      continue;
    }
    // The probe runs at batch 1: a leading dimension other than 1 is windows or heads (a Swin block's
    // [windows, heads, tokens, tokens] attention), not one image's feature map.
    if (shape.length !== 4 || shape[0] !== 1) continue;
    const layout = layoutOf(shape, aspect, card.input.layout);
    const [channels, height, width] = layout === 'NCHW' ? [shape[1]!, shape[2]!, shape[3]!] : [shape[3]!, shape[1]!, shape[2]!];
    if (height < 2 || width < 2) continue;
    // After the tokens begin, a rank-4 tensor is an image map only on a token grid (Swin's [1, H, W, C] views);
    // attention scores [1, heads, tokens, tokens] and per-head q/k/v [1, heads, tokens, d] are not.
    if (!onTokenGrid(layers, height, width)) continue;
    layers.push({ name, op: node.opType, shape, layout, channels, height, width, isDefault: false });
  }
  const tokens = layers.filter((l) => l.layout === 'tokens');
  if (tokens.length > 0) tokens[defaultTokenLayer(tokens, index, probe, toOutput)]!.isDefault = true;
  else if (layers.length > 0) layers[layers.length - 1]!.isDefault = true;
  return layers;
}

/** Whether a map of this size may follow the layers so far: any size before the first token layer, then only a token grid's. */
function onTokenGrid(layers: readonly SpatialLayer[], height: number, width: number): boolean {
  const grids = layers.filter((l) => l.layout === 'tokens');
  return grids.length === 0 || grids.some((g) => g.height === height && g.width === width);
}

/** The layer a CAM method uses: the one asked for (checked), or the default. */
export async function resolveLayer(model: LoadedModel, requested: string | undefined): Promise<SpatialLayer> {
  const layers = await spatialLayers(model);
  if (requested === undefined) {
    const fallback = layers.find((l) => l.isDefault);
    if (!fallback) {
      throw new LumenError(
        'unsupported-model',
        'The model has no spatial feature map (a [batch, channels, height, width] tensor, or a [batch, tokens, channels] sequence of patch tokens) between its input and its output, so CAM methods do not apply.',
        'Pixel methods (Integrated Gradients, SmoothGrad) work on any model.',
      );
    }
    return fallback;
  }
  const found = layers.find((l) => l.name === requested);
  if (found) return found;
  const probe = await probeOf(model);
  const shape = probe.get(requested)?.dims;
  if (!shape) {
    throw new LumenError('invalid-argument', `There is no tensor named "${requested}" in the model.`, 'List the candidate layers with `lumen layers --model M`.');
  }
  throw new LumenError(
    'invalid-argument',
    `The tensor "${requested}" has shape [${shape.join(', ')}], which is not a spatial feature map between the input and the class scores.`,
    'List the candidate layers with `lumen layers --model M`.',
  );
}
