import type { z } from 'zod';
import { deconvnetMethod, gradientMethod, gradientXInputMethod, guidedBackpropMethod } from './gradient';
import { deepLiftMethod, deepShapMethod } from './deeplift';
import { gradientShapMethod } from './gradient-shap';
import { integratedGradientsMethod } from './integrated-gradients';
import { lrpCompositeMethod, lrpEpsilonMethod } from './lrp';
import type { AttributionMethod } from './method';
import { smoothGradMethod, smoothGradSquaredMethod, smoothIgMethod, varGradMethod } from './noise-tunnel';
import { camMethod, guidedGradCamMethod } from './cam/cam';
import { gradCamMethod, gradCamPlusPlusMethod, layerCamMethod } from './cam/grad-cam';
import { scoreCamMethod } from './cam/score-cam';
import { blurIgMethod } from './blur-ig';
import { guidedIgMethod } from './guided-ig';
import { occlusionMethod } from './perturbation/occlusion';
import { riseMethod } from './perturbation/rise';
import { kernelShapMethod, limeMethod, shapleyExactMethod } from './perturbation/segment-methods';
import { xraiMethod } from './xrai/xrai';
import { edgeDetectorMethod } from './edge-detector';
import { attentionRolloutMethod } from './attention/attention-rollout';
import { genericAttentionMethod } from './attention/generic-attention';
import { transformerAttributionMethod } from './attention/transformer-attribution';

/** The engine's implementations, one per catalogue entry (a test keeps the two in step). */
export const methods: ReadonlyArray<AttributionMethod<z.ZodType>> = [
  gradientMethod,
  gradientXInputMethod,
  guidedBackpropMethod,
  deconvnetMethod,
  integratedGradientsMethod,
  smoothGradMethod,
  smoothGradSquaredMethod,
  varGradMethod,
  smoothIgMethod,
  deepLiftMethod,
  deepShapMethod,
  gradientShapMethod,
  lrpEpsilonMethod,
  lrpCompositeMethod,
  camMethod,
  gradCamMethod,
  gradCamPlusPlusMethod,
  layerCamMethod,
  scoreCamMethod,
  guidedGradCamMethod,
  blurIgMethod,
  guidedIgMethod,
  xraiMethod,
  occlusionMethod,
  riseMethod,
  limeMethod,
  kernelShapMethod,
  shapleyExactMethod,
  attentionRolloutMethod,
  genericAttentionMethod,
  transformerAttributionMethod,
  edgeDetectorMethod,
] as ReadonlyArray<AttributionMethod<z.ZodType>>;

export function findMethod(id: string): AttributionMethod<z.ZodType> | undefined {
  return methods.find((m) => m.id === id);
}
