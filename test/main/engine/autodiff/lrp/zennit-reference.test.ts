import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compositeRuleSet, lrpRuleSet, type CompositeName, type LrpOptions } from '../../../../../src/main/engine/autodiff/lrp/composites';
import type { RuleSet } from '../../../../../src/main/engine/autodiff/rule-set';
import { parseNpy, toFloat32 } from '../../../../../src/main/engine/io/npy';
import { decodeModel } from '../../../../../src/main/engine/onnx/decode';
import { compiledRunner } from '../../../../helpers/compiled-runner';

/**
 * Lumen's LRP against an independent reference (tools/fixtures/make_lrp_reference.py): the rules
 * written in PyTorch from their definitions in Zennit's form, applied layer by layer to the torch
 * modules (BatchNorm merged as Zennit's MergeBatchNorm does), in float64. Lumen compiles the ONNX
 * exports of the same modules (opsets 11 and 17; the VGG file hides biases behind Identity nodes
 * and other constants behind Constant, Cast and Reshape nodes) and runs them in float32.
 */
const root = new URL('../../../../fixtures/lrp/', import.meta.url);
const npy = (name: string): Float32Array => toFloat32(parseNpy(new Uint8Array(readFileSync(new URL(name, root))), name));

interface Case {
  composite: CompositeName | 'wsquare-plus';
  epsilon: number;
  startRelevance: LrpOptions['startRelevance'];
  zPlusBias: LrpOptions['zPlusBias'];
  gamma?: number;
  low?: number[];
  high?: number[];
  file: string;
  relevanceSum: number[];
  start: number[];
}
interface Fixture {
  models: Record<string, { onnx: string[]; targets: number[]; denseInput: string; cases: Case[] }>;
}
const fixture = JSON.parse(readFileSync(new URL('cases.json', root), 'utf8')) as Fixture;
const input = npy('input.npy');
const classes = 5;

/**
 * Float32 against float64: the largest difference, relative to the largest reference value of the
 * row. Measured worst case over all models, opsets and cases: 6.1e-7 (vgg_like, epsilon-gamma-box). The
 * tolerance, 1e-5, leaves room for other onnxruntime builds; a wrong rule is far outside it (Norm's
 * stabiliser at 1e-2 instead of 1e-6 fails 56 of 57 cases, and biases hidden behind Identity
 * nodes, left unmerged, give errors up to 1e3).
 */
const tolerance = 1e-5;
/**
 * The gamma rule with biases ignored is ill-conditioned: an output whose value with its bias is
 * positive may have a bias-free denominator near zero, which amplifies float32 rounding (measured
 * 1.4e-5 on resnet_like). Zennit's own choice (biases kept) is tested at the tolerance above.
 */
const gammaWithoutBiasTolerance = 1e-4;

function maxRelativeError(actual: Float32Array, expected: Float32Array, from: number, to: number): number {
  let diff = 0;
  let scale = 0;
  for (let i = from; i < to; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return diff / scale;
}

function ruleSetOf(c: Case): RuleSet {
  const options: Partial<LrpOptions> = { epsilon: c.epsilon, startRelevance: c.startRelevance, zPlusBias: c.zPlusBias };
  if (c.gamma !== undefined) options.gamma = c.gamma;
  if (c.low && c.high) options.box = { low: c.low, high: c.high };
  if (c.composite === 'wsquare-plus') return lrpRuleSet({ first: 'wsquare', conv: 'zplus', dense: 'epsilon' }, options, 'wsquare-plus');
  return compositeRuleSet(c.composite as CompositeName, options);
}

const seedOf = (targets: number[]): Float32Array => {
  const seed = new Float32Array(targets.length * classes);
  targets.forEach((t, row) => (seed[row * classes + t] = 1));
  return seed;
};

for (const [name, spec] of Object.entries(fixture.models)) {
  for (const file of spec.onnx) {
    describe(`LRP on ${file} against the PyTorch reference`, () => {
      const model = decodeModel(new Uint8Array(readFileSync(new URL(file, root))));
      const per = input.length / 2;
      for (const c of spec.cases) {
        const gamma = c.gamma === undefined ? '' : `, gamma ${c.gamma}`;
        it(`${c.composite}, start ${c.startRelevance}, z+ bias ${c.zPlusBias}, epsilon ${c.epsilon}${gamma}: equal to float32 rounding (both rows)`, async () => {
          const runner = await compiledRunner(model, [1, 3, 16, 16], { rules: ruleSetOf(c), output: 'logits', inputName: 'input' });
          const { gradient } = await runner.run(input, seedOf(spec.targets), undefined, 2);
          const expected = npy(c.file);
          const limit = c.composite === 'epsilon-gamma-box' && c.zPlusBias === 'ignore' ? gammaWithoutBiasTolerance : tolerance;
          for (let row = 0; row < 2; row++) expect(maxRelativeError(gradient, expected, row * per, (row + 1) * per), `${name} row ${row}`).toBeLessThan(limit);
        });
      }
    });
  }
}

/**
 * Without biases z+ and alpha-beta conserve relevance exactly (up to the 1e-6 stabilisers), and so
 * do flat, Norm and max pooling. Gamma does not quite: which part an output's relevance takes is
 * chosen by the sign of the output with its bias, and the bias-free denominator of that part can
 * disagree (0.2% lost on resnet_like, in Lumen and in the reference alike).
 */
describe('LRP conservation on the reference models (z+ and alpha-beta without biases, flat, Norm and max pooling conserve)', () => {
  for (const [name, spec] of Object.entries(fixture.models)) {
    for (const composite of ['epsilon-plus-flat', 'epsilon-plus', 'epsilon-alpha2-beta1-flat', 'epsilon-alpha2-beta1'] as const) {
      it(`${name}, ${composite}: the input receives what the dense layers passed down`, async () => {
        const model = decodeModel(new Uint8Array(readFileSync(new URL(spec.onnx[1]!, root))));
        const rules = compositeRuleSet(composite, { zPlusBias: 'ignore' });
        const runner = await compiledRunner(model, [1, 3, 16, 16], { rules, output: 'logits', inputName: 'input', taps: [spec.denseInput] });
        const { gradient, outputs } = await runner.run(input, seedOf(spec.targets), undefined, 2);
        const atDense = outputs['lumen_tap_gradient_0']!.data as Float32Array;
        for (let row = 0; row < 2; row++) {
          const rowSum = (a: Float32Array): number => {
            const n = a.length / 2;
            return a.subarray(row * n, (row + 1) * n).reduce((s, v) => s + v, 0);
          };
          expect(Math.abs(rowSum(gradient) - rowSum(atDense))).toBeLessThan(1e-4 * Math.max(1, Math.abs(rowSum(atDense))));
        }
      });
    }
  }

  it('the reference itself: with z+ biases ignored, every composite brings the same relevance to the input', () => {
    for (const spec of Object.values(fixture.models)) {
      const ignored = spec.cases.filter((c) => c.zPlusBias === 'ignore' && c.composite !== 'epsilon-gamma-box');
      for (const c of ignored) c.relevanceSum.forEach((v, row) => expect(v).toBeCloseTo(ignored[0]!.relevanceSum[row]!, 4));
    }
  });
});
