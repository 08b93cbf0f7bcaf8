import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import type { z } from 'zod';
import { createApi, type LumenApi } from '../../../../src/shared/contract/api';
import { PortTransport } from '../../../../src/shared/contract/port-transport';
import type { ReportSpec } from '../../../../src/shared/contract/report';
import { localEnginePort } from '../../../../src/main/engine-host/local-engine';
import type { Engine } from '../../../../src/main/engine/engine';
import { findChromium } from '../../../../src/main/engine/report/render-pdf';
import { tempDir } from '../../../helpers/tiny-models';

process.env['LUMEN_HOME'] = tempDir('lumen-home-');

/** The figures of a report (their PNG data), in document order. */
const figures = (html: string): string[] => [...html.matchAll(/<img\b[^>]*src="(data:image\/png;base64,[^"]+)"/g)].map((m) => m[1]!);

/**
 * A report is rebuilt from what changed only: the engine keeps each image's explanations and
 * metrics, so a new title, summary or display setting re-renders without attributing again, and an
 * export after a preview computes nothing. Calls to the engine's real attribution and evaluation
 * services are counted (spied on, not replaced).
 */
describe('report.render reuses explanations and metrics across renders', () => {
  let api: LumenApi;
  let engine: Engine;
  let close: () => Promise<void>;
  let spec: (extra?: Partial<z.input<typeof ReportSpec>>) => z.input<typeof ReportSpec>;
  let attribute: MockInstance<Engine['attributions']['attribute']>;
  let evaluate: MockInstance<Engine['evaluations']['evaluate']>;
  const seconds = (t0: number): string => `${((performance.now() - t0) / 1000).toFixed(2)} s`;

  beforeAll(async () => {
    const local = localEnginePort({ graphCacheDir: null });
    ({ engine, close } = local);
    api = createApi(new PortTransport(local.port));
    const project = await api.call('projects.demo', {});
    const modelId = (await api.call('models.open', {})).id;
    spec = (extra = {}) => ({
      project: project.path,
      modelId,
      title: 'Two samples',
      images: [
        { dataset: 'samples', path: 'coffee.png' },
        { dataset: 'samples', path: 'rocket.jpg' },
      ],
      methods: [{ method: 'grad-cam', params: {} }],
      metrics: ['deletion', 'insertion'],
      ...extra,
    });
    attribute = vi.spyOn(engine.attributions, 'attribute');
    evaluate = vi.spyOn(engine.evaluations, 'evaluate');
  });
  afterAll(() => close());

  it('renders a changed title without attributing or measuring again, and exports without recomputing', async () => {
    const calls = (): [number, number] => [attribute.mock.calls.length, evaluate.mock.calls.length];
    let t0 = performance.now();
    const first = await api.call('report.render', { spec: spec(), format: 'html' });
    const timings = [`preview ${seconds(t0)}`];
    const afterFirst = calls();

    t0 = performance.now();
    const retitled = await api.call('report.render', { spec: spec({ title: 'Two samples, reviewed' }), format: 'html' });
    timings.push(`title changed ${seconds(t0)}`);
    const afterRetitle = calls();

    t0 = performance.now();
    const again = await api.call('report.render', { spec: spec({ title: 'Two samples, reviewed' }), format: 'html' });
    timings.push(`HTML export after the preview ${seconds(t0)}`);
    let pdf: Awaited<ReturnType<typeof api.call<'report.render'>>> | null = null;
    if (findChromium()) {
      t0 = performance.now();
      pdf = await api.call('report.render', { spec: spec({ title: 'Two samples, reviewed' }), format: 'pdf' });
      timings.push(`PDF export after the preview ${seconds(t0)}`);
    }
    console.log(`2-image report (Grad-CAM, deletion + insertion): ${timings.join(', ')}`);

    expect(afterFirst[0]).toBe(2);
    expect(afterFirst[1]).toBeGreaterThan(0);
    expect(afterRetitle).toEqual(afterFirst);
    expect(calls()).toEqual(afterFirst);
    expect(retitled.html).toContain('<h1>Two samples, reviewed</h1>');
    expect(retitled.contentHash).not.toBe(first.contentHash);
    // The same figures, pixel for pixel (PNG bytes), as the first render's.
    expect(figures(retitled.html!)).toEqual(figures(first.html!));
    expect(again.contentHash).toBe(retitled.contentHash);
    if (pdf) expect(pdf.contentHash).toBe(retitled.contentHash);
  }, 180_000);

  it('redraws the figures, without attributing, when the opacity or the clipping changes', async () => {
    const before = attribute.mock.calls.length;
    const base = await api.call('report.render', { spec: spec(), format: 'html' });
    const faint = await api.call('report.render', { spec: spec({ opacity: 0.2 }), format: 'html' });
    const clipped = await api.call('report.render', { spec: spec({ percentile: 90 }), format: 'html' });
    expect(attribute).toHaveBeenCalledTimes(before);
    const [original, overlay] = figures(base.html!);
    expect(figures(faint.html!)[0]).toBe(original);
    expect(figures(faint.html!)[1]).not.toBe(overlay);
    expect(figures(clipped.html!)[1]).not.toBe(overlay);
    expect(faint.html).toContain('opacity 0.2');
    expect(clipped.html).toContain('90th percentile');
  }, 120_000);

  it('computes again what a change of class, method or metric needs, and only that', async () => {
    const attributions = attribute.mock.calls.length;
    const measured = evaluate.mock.calls.length;
    await api.call('report.render', { spec: spec({ images: [{ dataset: 'samples', path: 'coffee.png', target: 1 }, { dataset: 'samples', path: 'rocket.jpg' }] }), format: 'html' });
    // Another class for the coffee: its Grad-CAM and metrics again; the rocket's are kept.
    expect(attribute).toHaveBeenCalledTimes(attributions + 1);
    expect(evaluate).toHaveBeenCalledTimes(measured + 1);
    await api.call('report.render', { spec: spec({ methods: [{ method: 'grad-cam', params: {} }, { method: 'gradient', params: {} }] }), format: 'html' });
    expect(attribute).toHaveBeenCalledTimes(attributions + 3);
    // A new metric is measured on the stored maps; deletion and insertion are not measured again.
    const calls = evaluate.mock.calls.length;
    await api.call('report.render', { spec: spec({ metrics: ['deletion', 'insertion', 'sparseness'] }), format: 'html' });
    expect(attribute).toHaveBeenCalledTimes(attributions + 3);
    const asked = evaluate.mock.calls.slice(calls).map((c) => c[0].metrics.map((m) => m.metric));
    expect(asked).toEqual([['sparseness'], ['sparseness']]);
  }, 180_000);
});
