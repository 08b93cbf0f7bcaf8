import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { LumenApi } from '../../../../src/shared/contract/api';
import type { ReportSpec } from '../../../../src/shared/contract/report';
import { lumenVersion } from '../../../../src/shared/version';
import { repoRoot } from '../../../helpers/built-app';
import { testApi } from '../../../helpers/engine';
import { annotate, patientLikeName, reportProject } from '../../../helpers/report-project';
import { tempDir } from '../../../helpers/tiny-models';

process.env['LUMEN_HOME'] = tempDir('lumen-home-');

/** The HTML without its image data (base64 can hold any short string), for searches in the text. */
const textOf = (html: string): string => html.replace(/data:image\/png;base64,[A-Za-z0-9+/=]+/g, 'data:image/png;base64,…');

const isoDate = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/g;

describe('report.render as HTML: self-contained, private, deterministic', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let project: string;
  let data: string;
  let modelId: string;
  let sha256: string;
  let runId: number;
  let html: string;
  /** The HTML without image data. */
  let text: string;
  let contentHash: string;
  const spec = (extra: Partial<z.input<typeof ReportSpec>> = {}): z.input<typeof ReportSpec> => ({
    project,
    modelId,
    title: 'Espresso or rocket? <review>',
    summary: 'Two photos & one audit.\n\nThe second paragraph.',
    freeText: 'Reviewed by R. Adiologist.',
    images: [
      { dataset: 'photos', path: 'espresso/a-coffee.png' },
      { dataset: 'photos', path: `rocket/${patientLikeName}` },
    ],
    methods: [{ method: 'grad-cam', params: {} }, { method: 'gradient', params: {} }],
    metrics: ['deletion', 'insertion'],
    runs: [runId],
    anonymise: true,
    ...extra,
  });

  beforeAll(async () => {
    ({ api, close } = testApi());
    ({ project, data } = await reportProject());
    const model = await api.call('models.open', {});
    modelId = model.id;
    sha256 = model.sha256;
    await annotate(api, project, 'espresso/a-coffee.png');
    runId = (await api.call('audit', { project, dataset: 'photos', modelId, method: 'grad-cam', metrics: [{ metric: 'deletion', params: {} }] })).runId;
    const t0 = performance.now();
    const rendered = await api.call('report.render', { spec: spec(), format: 'html' });
    console.log(`2-image HTML report (2 methods, deletion + insertion, 1 audit): ${((performance.now() - t0) / 1000).toFixed(1)} s, ${(rendered.html!.length / 1e6).toFixed(1)} MB`);
    html = rendered.html!;
    text = textOf(html);
    contentHash = rendered.contentHash;
    mkdirSync(join(repoRoot, 'test-results', 'report'), { recursive: true });
    writeFileSync(join(repoRoot, 'test-results', 'report', 'report.html'), html);
  });
  afterAll(() => close());

  it('references nothing outside itself: a CSP, data: images only, no scripts, links, fonts or URLs', () => {
    expect(text).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">`);
    expect(text).not.toMatch(/(https?|file|ftp):\/\//i);
    expect(text).not.toMatch(/<script|<link|<iframe|<object|<embed|@import|url\(/i);
    const images = [...html.matchAll(/<img\b[^>]*>/g)].map((m) => m[0]);
    // Per image: the original and one overlay per method; one stored map of the flagged image.
    expect(images.length).toBeGreaterThanOrEqual(2 * 3 + 1);
    for (const img of images) expect(img).toMatch(/ src="data:image\/png;base64,[A-Za-z0-9+/=]+"/);
    expect(text).not.toMatch(/\ssrc="(?!data:)/);
  });

  it('shows the images, methods, metrics, annotations, the audit and the provenance, everything escaped', () => {
    expect(text).toContain('<title>Espresso or rocket? &lt;review&gt;</title>');
    expect(text).not.toContain('<review>');
    expect(text).toContain('<p>Two photos &amp; one audit.</p>\n<p>The second paragraph.</p>');
    for (const text of ['Grad-CAM', 'Gradient (saliency)', 'Deletion', 'Insertion', 'Predictions', 'espresso', 'Audit run', 'Accuracy per class', 'Flagged images (1)', 'misclassified as']) expect(text).toContain(text);
    // Curves as inline SVG, from the shared chart layout.
    expect(html.match(/<figure class="chart"><svg/g)?.length).toBe(4);
    // Annotations: drawn over the figures of the annotated image and listed with author and time.
    expect(text).toContain('<svg class="annotations" viewBox="0 0 600 400"');
    expect(text).toContain('rim of the cup');
    expect(text).toContain('saucer &lt;b&gt;not&lt;/b&gt; relevant');
    expect(text).not.toContain('<b>not</b>');
    // Provenance: the model's file name and hash, the Lumen version, the provider, the date.
    expect(text).toContain('model.onnx');
    expect(text).toContain(sha256);
    expect(text).toContain(`Lumen ${lumenVersion}`);
    expect(text).toMatch(/Execution provider<\/th><td>cpu/);
    expect(text.match(isoDate)?.length).toBeGreaterThanOrEqual(3);
  });

  it('leaves file-system paths out unless asked, and says metadata is not copied', () => {
    for (const path of [project, data, tmpdir(), repoRoot.replace(/\/$/, ''), process.cwd()]) expect(text).not.toContain(path);
    // No absolute path of any shape (the escaped quotes would be &quot;).
    expect(text).not.toMatch(/(^|[\s>"'(])\/(tmp|home|Users|var|work|root|mnt)\//m);
    expect(text).toContain('drops EXIF, XMP, ICC profiles');
  });

  it('anonymise names patient-like images "Image N" everywhere, and keeps ordinary names', () => {
    expect(text).not.toContain('MRN');
    expect(text).not.toContain('00482113');
    expect(text).toContain('Image 2 (name withheld)');
    expect(text).toContain('a-coffee.png');
    // The flagged image of the audit is the same image: the same alias in the flags table.
    expect(text).toMatch(/<tr><td>Image 2<\/td><td>rocket<\/td><td>espresso<\/td>/);
    expect(text).toContain('1 image name that looks like a patient identifier is shown as “Image N”');
  });

  it('the same spec gives the same content and hash; only the date differs', async () => {
    const again = await api.call('report.render', { spec: spec(), format: 'html' });
    expect(again.contentHash).toBe(contentHash);
    expect(again.html!.replace(isoDate, 'DATE') === html.replace(isoDate, 'DATE')).toBe(true);
    expect(contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('with includePaths the files are named by their paths; without anonymise the names stay', async () => {
    const rendered = await api.call('report.render', { spec: spec({ includePaths: true, anonymise: false, methods: [{ method: 'grad-cam', params: {} }], metrics: [], runs: [] }), format: 'html' });
    expect(textOf(rendered.html!)).toContain(join(data, 'espresso', 'a-coffee.png'));
    expect(textOf(rendered.html!)).toContain(`rocket/${patientLikeName}`);
    expect(rendered.contentHash).not.toBe(contentHash);
  });

  it('report.export writes the file whole and nothing else', async () => {
    const dir = tempDir('lumen-report-out-');
    const out = join(dir, 'report.html');
    const result = await api.call('report.export', { spec: spec({ methods: [{ method: 'grad-cam', params: {} }], metrics: [], images: [{ dataset: 'photos', path: 'espresso/a-coffee.png' }] }), format: 'html', out });
    expect(result.path).toBe(out);
    expect(readdirSync(dir)).toEqual(['report.html']);
    expect(readFileSync(out).length).toBe(result.bytes);
    expect(readFileSync(out, 'utf8')).toContain('</html>');
  });

  it('XRAI: its top regions at the spec’s area, outlined, with the rest dimmed, and listed', async () => {
    // Fewer IG steps than PAIR's 100 keep this quick; the report draws the regions the same way.
    const rendered = await api.call('report.render', { spec: spec({ images: [{ dataset: 'photos', path: 'espresso/a-coffee.png' }], methods: [{ method: 'xrai', params: { steps: 16 } }], metrics: [], runs: [], xraiArea: 0.15 }), format: 'html' });
    const page = textOf(rendered.html!);
    expect(page).toContain('XRAI: top regions at 15% of the image');
    const [, count, covered] = /Top regions at 15% of the image: (\d+) regions? covering ([\d.]+)%; the rest is dimmed\./.exec(page) ?? [];
    expect(Number(count)).toBeGreaterThan(0);
    // The engine's rule: whole regions until the area reaches the threshold (the last may overshoot).
    expect(Number(covered)).toBeGreaterThanOrEqual(15);
    expect(page.match(/<table><thead><tr><th class="num">Rank<\/th><th class="num">Gain/g)).toHaveLength(1);
  });

  it('reports progress to the end, and a cancelled export stops and leaves no file', async () => {
    const events: Array<{ done: number; total: number }> = [];
    const stop = api.on('progress', (p) => events.push({ done: p.done, total: p.total }));
    const one = spec({ images: [{ dataset: 'photos', path: 'espresso/a-coffee.png' }], methods: [{ method: 'grad-cam', params: {} }], metrics: [], runs: [] });
    await api.call('report.render', { spec: one, format: 'html' });
    stop();
    // 1 image x (open + 1 method) + the HTML.
    expect(events.at(-1)).toEqual({ done: 3, total: 3 });

    const dir = tempDir('lumen-report-out-');
    const controller = new AbortController();
    const abortOnFirst = api.on('progress', (p) => {
      if (p.done >= 1) controller.abort();
    });
    const running = api.call('report.export', { spec: spec({ metrics: [], runs: [] }), format: 'html', out: join(dir, 'r.html') }, { signal: controller.signal });
    await expect(running).rejects.toThrow(/cancelled/);
    abortOnFirst();
    expect(readdirSync(dir)).toEqual([]);
  });

  describe('bad input is a clear error, before any work', () => {
    it('an empty selection (the contract says which field)', async () => {
      await expect(api.call('report.render', { spec: spec({ images: [], runs: [] }), format: 'html' })).rejects.toThrow(/images: the report is empty: choose at least one image or one audit/);
      await expect(api.call('report.render', { spec: spec({ methods: [] }), format: 'html' })).rejects.toThrow(/methods: choose at least one method/);
      await expect(api.call('report.render', { spec: spec({ title: '' }), format: 'html' })).rejects.toThrow(/title: give the report a title/);
    });

    it('a method or metric that does not exist', async () => {
      await expect(api.call('report.render', { spec: spec({ methods: [{ method: 'no-such-method', params: {} }] }), format: 'html' })).rejects.toThrow(/Unknown attribution method "no-such-method"/);
      await expect(api.call('report.render', { spec: spec({ methods: [{ method: 'grad-cam', params: { nope: 1 } }] }), format: 'html' })).rejects.toThrow(/Invalid parameters for grad-cam/);
      await expect(api.call('report.render', { spec: spec({ metrics: ['no-such-metric'] }), format: 'html' })).rejects.toThrow(/Unknown metric "no-such-metric"/);
    });

    it('an image that is not in the dataset, or outside it', async () => {
      await expect(api.call('report.render', { spec: spec({ images: [{ dataset: 'photos', path: 'espresso/nope.png' }] }), format: 'html' })).rejects.toThrow(/The image "espresso\/nope.png" is not in the dataset "photos"/);
      await expect(api.call('report.render', { spec: spec({ images: [{ dataset: 'photos', path: '../../etc/passwd' }] }), format: 'html' })).rejects.toThrow(/is not inside the dataset "photos"/);
      await expect(api.call('report.render', { spec: spec({ images: [{ dataset: 'nope', path: 'a.png' }] }), format: 'html' })).rejects.toThrow(/There is no dataset "nope"/);
    });

    it('a run that does not exist', async () => {
      await expect(api.call('report.render', { spec: spec({ runs: [99] }), format: 'html' })).rejects.toThrow(/There is no run 99/);
    });

    it('an export into a folder that does not exist leaves nothing behind', async () => {
      const dir = tempDir('lumen-report-out-');
      await expect(api.call('report.export', { spec: spec({ methods: [{ method: 'grad-cam', params: {} }], metrics: [], runs: [] }), format: 'html', out: join(dir, 'missing', 'r.html') })).rejects.toThrow(/The folder .* does not exist/);
      expect(readdirSync(dir)).toEqual([]);
    });
  });
});
