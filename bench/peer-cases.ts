/**
 * What bench/peers.ts compares: each Lumen method with the parameters both sides run it with, and
 * the models it applies to. bench/peer_methods.py names the peer each imitates (Captum,
 * pytorch-grad-cam, Zennit, RISE's authors, vit-explain) and how the peer batches its passes.
 */
import type { PeerModel } from './peers-table';

export interface PeerCase {
  method: string;
  /** Given to Lumen's method and to the peer (which reads only what it needs). */
  params: Record<string, unknown>;
  /** Models it runs on (default: all). */
  models?: PeerModel[];
}

export const peerCases: readonly PeerCase[] = [
  { method: 'gradient', params: {} },
  { method: 'gradient-x-input', params: {} },
  { method: 'guided-backprop', params: {} },
  { method: 'deconvnet', params: {} },
  // Captum's default quadrature; 32 path points.
  { method: 'integrated-gradients', params: { steps: 32, stepRule: 'gauss-legendre' } },
  { method: 'smoothgrad', params: { samples: 25, noiseFraction: 0.15 } },
  { method: 'gradient-shap', params: { samples: 50 } },
  { method: 'deeplift', params: {} },
  // Zennit's composites are for CNNs; Lumen's LRP refuses a transformer's LayerNorm (Div) by name.
  { method: 'lrp-epsilon', params: { epsilon: 1e-6 }, models: ['resnet18', 'densenet121'] },
  { method: 'grad-cam', params: {} },
  { method: 'grad-cam-plus-plus', params: {} },
  { method: 'layer-cam', params: {} },
  { method: 'guided-grad-cam', params: {} },
  { method: 'score-cam', params: {} },
  // Captum's usual window and stride at 224 x 224: 27 x 27 = 729 windows.
  { method: 'occlusion', params: { window: 15, stride: 8 } },
  // Fewer masks than RISE's 4000 so that a run takes seconds, not minutes; both sides the same.
  { method: 'rise', params: { masks: 1000, cells: 7, probability: 0.5 } },
  { method: 'attention-rollout', params: {}, models: ['vit_b_16'] },
];

/** The cases for a model, in the order above, filtered by method id when a list is given. */
export function casesFor(model: PeerModel, methods: readonly string[] | null): PeerCase[] {
  return peerCases.filter((c) => (c.models ?? [model]).includes(model) && (methods === null || methods.includes(c.method)));
}

/**
 * The benchmark's input images, as bench/peer_methods.py makes them: image b, value i =
 * ((i 7919 + b 104729) mod 1000) / 1000, [3, size, size].
 */
export function benchImage(b: number, size = 224): Float32Array {
  const out = new Float32Array(3 * size * size);
  for (let i = 0; i < out.length; i++) out[i] = ((i * 7919 + b * 104729) % 1000) / 1000;
  return out;
}
