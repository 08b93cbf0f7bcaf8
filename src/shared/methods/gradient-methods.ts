import { z } from 'zod';
import { BaselineParam, BlurSigmaParam, ObjectiveParam, SamplesParam, SeedParam, StepRuleParam, StepsParam } from './common-params';

/** Parameter schemas of the gradient family. Strict: a misspelt parameter is an error, not ignored. */

export const GradientParams = z
  .object({
    objective: ObjectiveParam,
    absolute: z.boolean().default(false).describe("Return |gradient| (Captum Saliency's default) instead of the signed gradient."),
  })
  .strict();

export const PlainParams = z.object({ objective: ObjectiveParam }).strict();

export const IntegratedGradientsParams = z
  .object({
    objective: ObjectiveParam,
    steps: StepsParam(50),
    stepRule: StepRuleParam,
    baseline: BaselineParam.default('zeros'),
    baselines: z.string().regex(/\.npy$/i).optional().describe('A .npy file [B, ...input dims] of baselines; attributions are averaged over them.'),
    blurSigma: BlurSigmaParam,
    seed: SeedParam,
  })
  .strict();

export const NoiseTunnelParams = z
  .object({
    base: z.string().optional().describe('The method run on each noisy copy of the input (default: gradient; integrated-gradients for smooth-ig).'),
    samples: SamplesParam(25),
    noiseStd: z.number().nonnegative().optional().describe('Noise standard deviation in tensor units (Captum: stdevs). Overrides noiseFraction.'),
    noiseFraction: z.number().nonnegative().max(10).default(0.15).describe('Noise standard deviation as a fraction of the input range, max - min (PAIR saliency: stdev_spread).'),
    seed: SeedParam,
    baseParams: z.record(z.string(), z.unknown()).default({}).describe("The base method's own parameters."),
  })
  .strict();

const MaxPoolRuleParam = z
  .enum(['rescale', 'gradient'])
  .default('rescale')
  .describe(
    'How DeepLIFT crosses MaxPool: "rescale" (multiplier rule; attributions add up to f(x) − f(baseline)) or "gradient" (plain gradient: what Captum outputs when a ReLU feeds the MaxPool, and DeepLIFT\'s reference default; need not add up).',
  );

export const DeepLiftParams = z
  .object({
    objective: ObjectiveParam,
    maxPool: MaxPoolRuleParam,
    baseline: BaselineParam.default('zeros'),
    blurSigma: BlurSigmaParam,
    seed: SeedParam,
  })
  .strict();

export const DeepShapParams = z
  .object({
    objective: ObjectiveParam,
    baselines: z.string().regex(/\.npy$/i).optional().describe('A .npy file [B, ...input dims]: the baseline distribution.'),
    samples: SamplesParam(16, 512).describe('Without a baselines file: how many baselines to draw (uniform noise and blurred copies of the input).'),
    maxPool: MaxPoolRuleParam,
    blurSigma: BlurSigmaParam,
    seed: SeedParam,
  })
  .strict();

export const GradientShapParams = z
  .object({
    objective: ObjectiveParam,
    baselines: z.string().regex(/\.npy$/i).optional().describe('A .npy file [B, ...input dims]: the baseline distribution (default: black and white).'),
    samples: SamplesParam(50),
    noiseStd: z.number().nonnegative().default(0).describe('Gaussian noise added to the input in each sample (Captum: stdevs).'),
    seed: SeedParam,
  })
  .strict();

/** Where LRP's backward pass starts (see the LRP section of the README). */
export const StartRelevanceParam = z
  .enum(['one', 'output'])
  .default('one')
  .describe(
    "Where the backward pass starts: 'one' puts 1 at the target class, as Zennit's attributor called with a one-hot output gradient does (the maps Zennit users compare against; relevance then sums to about 1 whatever the logit's scale); 'output' starts from the target's logit, as Captum's LRP does (relevance sums to about the logit).",
  );

export const LrpEpsilonParams = z
  .object({
    epsilon: z.number().positive().max(10).default(1e-6).describe('Stabiliser of the epsilon rule; larger values absorb weak, contradictory relevance.'),
    startRelevance: StartRelevanceParam,
  })
  .strict();

export const LrpCompositeParams = z
  .object({
    name: z
      .enum(['epsilon-plus-flat', 'epsilon-plus', 'epsilon-alpha2-beta1-flat', 'epsilon-alpha2-beta1', 'epsilon-gamma-box', 'epsilon', 'attn-lrp', 'cp-lrp'])
      .default('epsilon-plus-flat')
      .describe('Which rule each layer gets (Zennit composites EpsilonPlusFlat, EpsilonPlus, EpsilonAlpha2Beta1Flat, EpsilonAlpha2Beta1, EpsilonGammaBox; epsilon: Epsilon on every layer; for transformers attn-lrp, AttnLRP of Achtibat et al. 2024, and cp-lrp, the conservative propagation of Ali et al. 2022).'),
    epsilon: z.number().positive().max(10).default(1e-6).describe('Stabiliser of the epsilon rule (dense layers).'),
    startRelevance: StartRelevanceParam,
    zPlusBias: z
      .enum(['keep', 'ignore'])
      .default('keep')
      .describe("Whether the z+, alpha-beta and gamma rules count each layer's bias (BatchNorm merged in): 'keep' as Zennit's ZPlus(), AlphaBeta() and Gamma() do by default; 'ignore' as ZPlus(zero_params='bias'), Lumen's earlier behaviour."),
    gamma: z.number().min(0).max(100).default(0.25).describe('Gamma of the gamma rule (epsilon-gamma-box convolutions; Zennit: 0.25).'),
    low: z.array(z.number()).min(1).max(3).optional().describe("epsilon-gamma-box: the lowest input value, one or one per channel; default: a black pixel through the model card's normalisation."),
    high: z.array(z.number()).min(1).max(3).optional().describe("epsilon-gamma-box: the highest input value, one or one per channel; default: a white pixel through the model card's normalisation."),
  })
  .strict();
