import { z } from 'zod';
import {
  DeepLiftParams,
  DeepShapParams,
  GradientParams,
  GradientShapParams,
  IntegratedGradientsParams,
  LrpCompositeParams,
  LrpEpsilonParams,
  NoiseTunnelParams,
  PlainParams,
} from './gradient-methods';
import { CamParams, GradCamParams, GuidedGradCamParams, ScoreCamParams } from './cam-methods';
import { BlurIgParams, GuidedIgParams } from './path-methods';
import { XraiParams } from './region-methods';
import { EdgeDetectorParams } from './control-methods';
import { KernelShapParams, LimeParams, OcclusionParams, RiseParams, ShapleyExactParams } from './perturbation-methods';
import { AttentionRolloutParams, GenericAttentionParams, TransformerAttributionParams } from './attention-methods';

export const MethodFamily = z.enum(['gradient', 'path', 'cam', 'region', 'perturbation', 'relevance', 'attention', 'control']);

export interface MethodEntry {
  id: string;
  family: z.infer<typeof MethodFamily>;
  label: string;
  summary: string;
  /** `pixel`: same shape as the input; `map`: one channel at input resolution. */
  output: 'pixel' | 'map';
  stochastic: boolean;
  /** Where the user can read about it. */
  reference: string;
  params: z.ZodType;
}

/**
 * Every attribution method Lumen offers, with its parameter schema. Only implemented methods are
 * listed: the UI and the CLI offer exactly these.
 */
export const methodCatalogue = [
  { id: 'gradient', family: 'gradient', label: 'Gradient (saliency)', summary: 'The gradient of the class score with respect to each input value.', output: 'pixel', stochastic: false, reference: 'Simonyan et al. 2014', params: GradientParams },
  { id: 'gradient-x-input', family: 'gradient', label: 'Gradient × input', summary: 'Gradient times input: a first-order estimate of each value’s contribution.', output: 'pixel', stochastic: false, reference: 'Shrikumar et al. 2016', params: PlainParams },
  { id: 'guided-backprop', family: 'gradient', label: 'Guided backprop', summary: 'Gradient with only positive signals passed back through rectifiers.', output: 'pixel', stochastic: false, reference: 'Springenberg et al. 2015', params: PlainParams },
  { id: 'deconvnet', family: 'gradient', label: 'DeconvNet', summary: 'Gradient with rectifiers applied to the backward signal only.', output: 'pixel', stochastic: false, reference: 'Zeiler and Fergus 2014', params: PlainParams },
  { id: 'integrated-gradients', family: 'path', label: 'Integrated Gradients', summary: 'Gradients averaged along the straight path from a baseline; the attributions add up to f(x) − f(baseline).', output: 'pixel', stochastic: false, reference: 'Sundararajan et al. 2017', params: IntegratedGradientsParams },
  { id: 'smoothgrad', family: 'gradient', label: 'SmoothGrad', summary: 'A gradient method averaged over noisy copies of the input.', output: 'pixel', stochastic: true, reference: 'Smilkov et al. 2017', params: NoiseTunnelParams },
  { id: 'smoothgrad-squared', family: 'gradient', label: 'SmoothGrad²', summary: 'The mean of squared attributions over noisy copies of the input.', output: 'pixel', stochastic: true, reference: 'Hooker et al. 2019', params: NoiseTunnelParams },
  { id: 'vargrad', family: 'gradient', label: 'VarGrad', summary: 'The variance of attributions over noisy copies of the input.', output: 'pixel', stochastic: true, reference: 'Adebayo et al. 2018', params: NoiseTunnelParams },
  { id: 'smooth-ig', family: 'path', label: 'SmoothGrad on Integrated Gradients', summary: 'Integrated Gradients averaged over noisy copies of the input.', output: 'pixel', stochastic: true, reference: 'Smilkov et al. 2017', params: NoiseTunnelParams },
  { id: 'deeplift', family: 'relevance', label: 'DeepLIFT (rescale)', summary: 'Differences from a baseline propagated with the rescale rule; sums to f(x) − f(baseline).', output: 'pixel', stochastic: false, reference: 'Shrikumar et al. 2017', params: DeepLiftParams },
  { id: 'deepshap', family: 'relevance', label: 'DeepSHAP', summary: 'DeepLIFT averaged over a distribution of baselines.', output: 'pixel', stochastic: true, reference: 'Lundberg and Lee 2017', params: DeepShapParams },
  { id: 'gradient-shap', family: 'path', label: 'GradientSHAP (expected gradients)', summary: 'Gradients at random points between random baselines and the input, times the difference.', output: 'pixel', stochastic: true, reference: 'Erion et al. 2021; Lundberg and Lee 2017', params: GradientShapParams },
  { id: 'lrp-epsilon', family: 'relevance', label: 'LRP-ε', summary: 'Layer-wise relevance propagation with the epsilon rule on every layer.', output: 'pixel', stochastic: false, reference: 'Bach et al. 2015', params: LrpEpsilonParams },
  { id: 'lrp-composite', family: 'relevance', label: 'LRP composite', summary: 'Layer-wise relevance propagation with rules per layer type (e.g. ε + z⁺ + flat); through attention, LayerNorm and GELU with attn-lrp or cp-lrp.', output: 'pixel', stochastic: false, reference: 'Montavon et al. 2019; Zennit; Achtibat et al. 2024 (AttnLRP); Ali et al. 2022 (CP-LRP)', params: LrpCompositeParams },
  { id: 'cam', family: 'cam', label: 'CAM', summary: 'Class activation map: the last feature map weighted by the class weights of a global-average-pool + linear head.', output: 'map', stochastic: false, reference: 'Zhou et al. 2016', params: CamParams },
  { id: 'grad-cam', family: 'cam', label: 'Grad-CAM', summary: 'A feature map weighted by the spatial mean of its gradient, rectified and upsampled.', output: 'map', stochastic: false, reference: 'Selvaraju et al. 2017', params: GradCamParams },
  { id: 'grad-cam-plus-plus', family: 'cam', label: 'Grad-CAM++', summary: 'Grad-CAM with pixel-wise weights from second- and third-order terms (closed form for an exponential output).', output: 'map', stochastic: false, reference: 'Chattopadhyay et al. 2018', params: GradCamParams },
  { id: 'layer-cam', family: 'cam', label: 'LayerCAM', summary: 'Each activation weighted by its own positive gradient.', output: 'map', stochastic: false, reference: 'Jiang et al. 2021', params: GradCamParams },
  { id: 'score-cam', family: 'cam', label: 'Score-CAM', summary: 'Channels weighted by the class score of the input masked by each of them (forward passes only).', output: 'map', stochastic: false, reference: 'Wang et al. 2020', params: ScoreCamParams },
  { id: 'guided-grad-cam', family: 'cam', label: 'Guided Grad-CAM', summary: 'Guided backprop times the upsampled Grad-CAM: fine detail, class-discriminative.', output: 'pixel', stochastic: false, reference: 'Selvaraju et al. 2017', params: GuidedGradCamParams },
  { id: 'blur-ig', family: 'path', label: 'Blur IG', summary: 'Integrated gradients along a path that blurs the input, instead of one towards a baseline.', output: 'pixel', stochastic: false, reference: 'Xu et al. 2020', params: BlurIgParams },
  { id: 'guided-ig', family: 'path', label: 'Guided IG', summary: 'Integrated gradients along an adaptive path that first moves the features with the smallest gradients.', output: 'pixel', stochastic: false, reference: 'Kapishnikov et al. 2021', params: GuidedIgParams },
  { id: 'xrai', family: 'region', label: 'XRAI', summary: 'Regions ranked by the Integrated Gradients they hold per pixel: read "the top 10% of the image that matters" off an area slider.', output: 'map', stochastic: false, reference: 'Kapishnikov et al. 2019', params: XraiParams },
  { id: 'occlusion', family: 'perturbation', label: 'Occlusion', summary: 'The drop of the class score when a sliding window hides each part of the image.', output: 'map', stochastic: false, reference: 'Zeiler and Fergus 2014', params: OcclusionParams },
  { id: 'rise', family: 'perturbation', label: 'RISE', summary: 'Class scores of the image under thousands of random smooth masks, averaged per pixel.', output: 'map', stochastic: true, reference: 'Petsiuk et al. 2018', params: RiseParams },
  { id: 'lime', family: 'perturbation', label: 'LIME', summary: 'A weighted linear model of the class score over which superpixels are switched on, fitted to random perturbations.', output: 'map', stochastic: true, reference: 'Ribeiro et al. 2016', params: LimeParams },
  { id: 'kernel-shap', family: 'perturbation', label: 'KernelSHAP', summary: 'Shapley values of superpixels estimated from sampled coalitions with the Shapley kernel; they add up to f(x) − f(background).', output: 'map', stochastic: true, reference: 'Lundberg and Lee 2017', params: KernelShapParams },
  { id: 'shapley-exact', family: 'perturbation', label: 'Exact Shapley values', summary: 'Shapley values of at most 14 superpixels from every coalition, evaluated once: the ground truth for the approximations.', output: 'map', stochastic: false, reference: 'Shapley 1953', params: ShapleyExactParams },
  { id: 'attention-rollout', family: 'attention', label: 'Attention rollout', summary: 'The attention of every transformer block, heads fused and residuals added, multiplied through the network: where the class token gathers its information (one forward pass, same map for every class).', output: 'map', stochastic: false, reference: 'Abnar and Zuidema 2020', params: AttentionRolloutParams },
  { id: 'attention-generic', family: 'attention', label: 'Generic attention (gradient-weighted)', summary: 'Each transformer block’s attention weighted by its gradient for the class (positive part, heads averaged), accumulated through the blocks: where the class token gathers evidence for this class (one forward and one backward pass).', output: 'map', stochastic: false, reference: 'Chefer, Gur and Wolf 2021 (generic attention)', params: GenericAttentionParams },
  { id: 'transformer-attribution', family: 'attention', label: 'Transformer attribution (LRP-weighted attention)', summary: 'Each transformer block’s attention weighted by its gradient times its LRP relevance for the class (AttnLRP rules), accumulated through the blocks (one forward and two backward passes, in one run).', output: 'map', stochastic: false, reference: 'Chefer, Gur and Wolf 2021; Achtibat et al. 2024', params: TransformerAttributionParams },
  { id: 'edge-detector', family: 'control', label: 'Edge detector (control)', summary: 'Sobel edges of the image, ignoring the model: the control that sanity checks must tell apart from real explanations.', output: 'map', stochastic: false, reference: 'Adebayo et al. 2018', params: EdgeDetectorParams },
] as const satisfies readonly MethodEntry[];

export type MethodId = (typeof methodCatalogue)[number]['id'];
export const methodIds = methodCatalogue.map((m) => m.id) as [MethodId, ...MethodId[]];
export const MethodIdSchema = z.enum(methodIds);

export function methodEntry(id: string): MethodEntry | undefined {
  return methodCatalogue.find((m) => m.id === id);
}
