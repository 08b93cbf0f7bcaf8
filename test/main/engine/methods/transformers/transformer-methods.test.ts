import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../../src/shared/contract/api';
import { LumenError } from '../../../../../src/shared/errors';
import { methodCatalogue } from '../../../../../src/shared/methods/catalogue';
import { testApi } from '../../../../helpers/engine';
import { openTransformer, opsets, relativeL2, transformerArray, transformerMeta, transformerNames, type TransformerName } from './transformer-fixtures';

/**
 * Every method Lumen offers for transformers, on the DeiT-like and Swin-like fixtures at opsets 17
 * and 18: it runs (or refuses with an `unsupported-model` error that says why), its map is finite
 * and not all zero, and both opsets give the same map. The list comes from the catalogue, so a
 * method added there is covered here: the attention family, the CAM family (on token layers) and
 * the LRP composites meant for transformers.
 */
interface Run {
  label: string;
  method: string;
  params: Record<string, unknown>;
  /** Channels of the map: 3 for pixel methods (Guided Grad-CAM, LRP), 1 for maps. */
  channels: number;
}

function transformerRuns(): Run[] {
  const runs: Run[] = methodCatalogue.filter((m) => m.family === 'attention' || m.family === 'cam').map((m) => ({ label: m.id, method: m.id, params: {}, channels: m.output === 'pixel' ? 3 : 1 }));
  const lrp = methodCatalogue.find((m) => m.id === 'lrp-composite');
  for (const name of ['attn-lrp', 'cp-lrp']) {
    if (lrp?.params.safeParse({ name }).success) runs.push({ label: `lrp-composite ${name}`, method: 'lrp-composite', params: { name }, channels: 3 });
  }
  return runs;
}

/** What must apply on each model (the rest may refuse, saying why). */
const required: Record<TransformerName, string[]> = {
  deit: ['grad-cam', 'grad-cam-plus-plus', 'layer-cam', 'score-cam', 'attention-rollout', 'attention-generic'],
  swin: ['grad-cam', 'grad-cam-plus-plus', 'layer-cam', 'score-cam'],
};

describe.each(transformerNames)('every transformer method on the %s fixture, opsets 17 and 18', (name) => {
  let api: LumenApi;
  let close: () => Promise<void>;
  const ids: Record<number, string> = {};
  const applied: string[] = [];
  const refused: string[] = [];
  const input = transformerArray(name, 'input.npy');

  beforeAll(async () => {
    ({ api, close } = testApi());
    for (const opset of opsets) ids[opset] = await openTransformer(api, name, opset);
  }, 60_000);
  afterAll(() => close());

  const attribute = (opset: number, run: Run) =>
    api.call('attribute', { modelId: ids[opset]!, input: { kind: 'tensor', dims: transformerMeta.inputDims, data: input }, method: run.method, target: transformerMeta.target, params: run.params });

  for (const run of transformerRuns()) {
    it(`${run.label}: same finite map at both opsets, or the same explained refusal`, async () => {
      const outcomes = await Promise.allSettled(opsets.map((opset) => attribute(opset, run)));
      const [a, b] = outcomes as [PromiseSettledResult<Awaited<ReturnType<typeof attribute>>>, PromiseSettledResult<Awaited<ReturnType<typeof attribute>>>];
      if (a.status === 'rejected') {
        expect(a.reason).toBeInstanceOf(LumenError);
        expect((a.reason as LumenError).code).toBe('unsupported-model');
        expect(b.status).toBe('rejected');
        refused.push(`${run.label}: ${(a.reason as LumenError).message}`);
        return;
      }
      if (b.status === 'rejected') throw b.reason;
      applied.push(run.label);
      expect(a.value.dims).toEqual([1, run.channels, 32, 32]);
      expect(a.value.data.every(Number.isFinite)).toBe(true);
      expect(Math.max(...a.value.data.map(Math.abs))).toBeGreaterThan(0);
      expect(relativeL2(b.value.data, a.value.data)).toBeLessThanOrEqual(1e-5);
    });
  }

  it('the methods that must apply did', () => {
    console.info(`${name}: applied ${applied.join(', ')}; refused ${refused.length ? refused.join(' | ') : 'none'}`);
    expect(applied).toEqual(expect.arrayContaining(required[name]));
  });
});
