import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import type { ModelSummary } from '../../../../src/shared/contract/model';
import { resolveColormap } from '../../../../src/shared/heatmap/colormaps';
import { inspectImage } from '../../../../src/main/engine/image/image-source';
import { demoProjectDir } from '../../../../src/main/engine/project/demo-project';
import { displayImage, overlayImage } from '../../../../src/main/engine/report/render-images';
// The inspector's own display maths: what the workstation draws with.
import { displayRange } from '../../../../src/renderer/src/lib/state/display-math';
import { reduceToMap } from '../../../../src/renderer/src/lib/state/reduce-map';
import type { NormalisationMode } from '../../../../src/renderer/src/lib/state/display.svelte';
import { testApi } from '../../../helpers/engine';
import { tempDir } from '../../../helpers/tiny-models';

process.env['LUMEN_HOME'] = tempDir('lumen-home-');

/** The report's figures (PNG bytes), in document order. */
const figures = (html: string): Buffer[] => [...html.matchAll(/<img\b[^>]*src="data:image\/png;base64,([^"]+)"/g)].map((m) => Buffer.from(m[1]!, 'base64'));

const rawPixels = async (png: Buffer): Promise<Uint8Array> => new Uint8Array(await sharp(png).removeAlpha().raw().toBuffer());

/**
 * The report draws a map with the inspector's display settings (opacity, normalisation, clipping
 * percentile, colormap): its overlay is, pixel for pixel, the map the inspector computes for the
 * same image (attribute, reduceToMap, display-math's range) laid over the image with that opacity.
 */
describe('the report overlays maps with the inspector\'s opacity and clipping', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let model: ModelSummary;
  let project: string;

  beforeAll(async () => {
    ({ api, close } = testApi());
    project = (await api.call('projects.demo', {})).path;
    model = await api.call('models.open', {});
  });
  afterAll(() => close());

  const cases: Array<{ mode: NormalisationMode; percentile: number; opacity: number; colormap: string }> = [
    { mode: 'signed', percentile: 90, opacity: 0.35, colormap: 'coolwarm' },
    { mode: 'absolute', percentile: 100, opacity: 0.9, colormap: 'viridis' },
  ];

  it.each(cases)('$mode, clipped at the $percentile th percentile, opacity $opacity, $colormap', async ({ mode, percentile, opacity, colormap }) => {
    // The inspector's path: the image opened from the project, explained, reduced and ranged in the renderer.
    const image = await api.call('images.open', { source: 'project', project, dataset: 'samples', path: 'coffee.png' });
    const classification = await api.call('classify', { modelId: model.id, imageId: image.id, topK: 1 });
    const target = classification.predictions[0]!.index;
    const result = await api.call('attribute', { modelId: model.id, input: { kind: 'image', imageId: image.id }, method: 'gradient', target, params: {} });
    const map = reduceToMap(result, model.card.card.input.layout);
    const range = displayRange([map.data], mode, percentile);

    const report = await api.call('report.render', {
      spec: { project, modelId: model.id, title: 'Display', images: [{ dataset: 'samples', path: 'coffee.png' }], methods: [{ method: 'gradient', params: {} }], colormap, opacity, normalisation: mode, percentile },
      format: 'html',
    });
    const [, overlay] = figures(report.html!);

    const bytes = new Uint8Array(readFileSync(join(demoProjectDir(), 'images', 'coffee.png')));
    const source = await inspectImage(bytes, 'coffee.png');
    const base = await displayImage(source);
    const card = model.card.card;
    const expected = await overlayImage(base, { width: source.width, height: source.height }, map, { input: card.input, resize: card.preprocess.resize }, { colormap: resolveColormap(colormap, 'inferno'), range, opacity });
    const drawn = await rawPixels(overlay!);
    expect(drawn.length).toBe(expected.data.length);
    let differing = 0;
    for (let i = 0; i < drawn.length; i++) if (drawn[i] !== expected.data[i]) differing++;
    expect(differing).toBe(0);
    expect(report.html).toContain(`scaled to the ${percentile}th percentile`);
    expect(report.html).toContain(`opacity ${opacity}`);
  }, 120_000);

  it('draws other pixels when only the opacity or only the clipping changes', async () => {
    const spec = { project, modelId: model.id, title: 'Display', images: [{ dataset: 'samples', path: 'coffee.png' }], methods: [{ method: 'gradient', params: {} }] };
    const render = async (extra: Record<string, number>): Promise<Uint8Array> => rawPixels(figures((await api.call('report.render', { spec: { ...spec, ...extra }, format: 'html' })).html!)[1]!);
    const [standard, faint, clipped] = [await render({}), await render({ opacity: 0.2 }), await render({ percentile: 80 })];
    const changed = (a: Uint8Array, b: Uint8Array): number => a.reduce((n, v, i) => n + (v !== b[i] ? 1 : 0), 0);
    expect(changed(standard, faint)).toBeGreaterThan(standard.length / 10);
    expect(changed(standard, clipped)).toBeGreaterThan(standard.length / 100);
  }, 120_000);
});
