import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import { LumenError } from '../../../../src/shared/errors';
import { lumenVersion } from '../../../../src/shared/version';
import { countPdfPages, findChromium, renderPdf } from '../../../../src/main/engine/report/render-pdf';
import { repoRoot } from '../../../helpers/built-app';
import { testApi } from '../../../helpers/engine';
import { annotate, reportProject } from '../../../helpers/report-project';
import { tempDir } from '../../../helpers/tiny-models';

process.env['LUMEN_HOME'] = tempDir('lumen-home-');

/** Why the PDF test cannot run here (Chromium or poppler missing), or null. CI (LUMEN_REQUIRE_E2E=1) fails instead of skipping. */
function pdfToolsUnavailable(): string | null {
  const missing = [findChromium() ? null : 'Chromium (apt-get install chromium, or set LUMEN_CHROMIUM)', spawnSync('pdftotext', ['-v']).error ? 'poppler-utils (pdftotext, pdftoppm)' : null].filter(Boolean);
  if (missing.length === 0) return null;
  const reason = `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not installed`;
  if (process.env['LUMEN_REQUIRE_E2E'] === '1') throw new Error(`${reason}, and LUMEN_REQUIRE_E2E=1 requires the PDF report test.`);
  return reason;
}

const unavailable = pdfToolsUnavailable();
const out = join(repoRoot, 'test-results', 'report');

/** Share of pixels in a region of a page PNG that are clearly coloured (not grey, white or black). */
async function colourful(png: string, region: { left: number; top: number; width: number; height: number }): Promise<number> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const x0 = Math.round(region.left * info.width);
  const y0 = Math.round(region.top * info.height);
  const x1 = Math.round((region.left + region.width) * info.width);
  const y1 = Math.round((region.top + region.height) * info.height);
  let count = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const p = (y * info.width + x) * 3;
      const r = data[p]!;
      const g = data[p + 1]!;
      const b = data[p + 2]!;
      if (Math.max(r, g, b) - Math.min(r, g, b) > 60) count++;
    }
  }
  return count / ((x1 - x0) * (y1 - y0));
}

describe.skipIf(unavailable)(`a PDF report through headless Chromium${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let project: string;
  let data: string;
  let sha256: string;
  let pdf: Uint8Array;
  let pages: number;
  let text: string;
  let pngs: string[];

  beforeAll(async () => {
    ({ api, close } = testApi());
    ({ project, data } = await reportProject());
    const model = await api.call('models.open', {});
    sha256 = model.sha256;
    await annotate(api, project, 'espresso/a-coffee.png');
    const spec = {
      project,
      modelId: model.id,
      title: 'Coffee and rocket: PDF check',
      summary: 'A small report.',
      images: [
        { dataset: 'photos', path: 'espresso/a-coffee.png' },
        { dataset: 'photos', path: 'rocket/b-rocket.jpg' },
      ],
      methods: [{ method: 'grad-cam' }, { method: 'gradient' }],
      metrics: ['deletion', 'insertion'],
    };
    const t0 = performance.now();
    const rendered = await api.call('report.render', { spec, format: 'pdf' });
    console.log(`2-image PDF report (2 methods, deletion + insertion): ${((performance.now() - t0) / 1000).toFixed(1)} s, ${rendered.pages} pages, ${(rendered.pdf!.length / 1e6).toFixed(1)} MB`);
    pdf = rendered.pdf!;
    pages = rendered.pages!;
    mkdirSync(out, { recursive: true });
    for (const old of readdirSync(out).filter((f) => /^page-\d+\.png$/.test(f))) rmSync(join(out, old));
    writeFileSync(join(out, 'report.pdf'), pdf);
    text = execFileSync('pdftotext', ['-layout', join(out, 'report.pdf'), '-'], { encoding: 'utf8' });
    execFileSync('pdftoppm', ['-png', '-r', '50', join(out, 'report.pdf'), join(out, 'page')]);
    pngs = readdirSync(out)
      .filter((f) => /^page-\d+\.png$/.test(f))
      .sort()
      .map((f) => join(out, f));
  }, 240_000);
  afterAll(() => close());

  it('is a PDF whose pages are counted', () => {
    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(pngs).toHaveLength(pages);
    expect(countPdfPages(pdf)).toBe(pages);
  });

  it('has the title, labels, methods, metrics, annotations and the provenance, and no absolute path', () => {
    const flat = text.replace(/\s+/g, ' ');
    for (const expected of ['Coffee and rocket: PDF check', 'A small report.', 'espresso', 'Grad-CAM', 'Gradient (saliency)', 'Deletion', 'Insertion', 'Predictions', 'rim of the cup', 'Provenance', 'model.onnx', `Lumen ${lumenVersion}`, 'a-coffee.png', 'b-rocket.jpg']) {
      expect(flat).toContain(expected);
    }
    // The hash may be broken across lines in the PDF's text.
    expect(text.replace(/\s+/g, '')).toContain(sha256);
    for (const path of [project, data, repoRoot]) expect(flat).not.toContain(path);
    expect(flat).not.toMatch(/\/(tmp|home|Users|work|root)\//);
  });

  it('prints the figures: the pages of the images hold coloured overlays, the provenance page none', async () => {
    // Page 2 is the first image: the overlay figure (top right) is colourful, the table area below is not.
    const imagePage = pngs[1]!;
    expect(await colourful(imagePage, { left: 0.52, top: 0.12, width: 0.42, height: 0.2 })).toBeGreaterThan(0.3);
    expect(await colourful(pngs.at(-1)!, { left: 0, top: 0, width: 1, height: 1 })).toBeLessThan(0.01);
    const embedded = spawnSync('pdfimages', ['-list', join(out, 'report.pdf')], { encoding: 'utf8' });
    if (!embedded.error) {
      const rows = embedded.stdout.split('\n').slice(2).filter((l) => l.trim());
      // Per image: the original and one overlay per method (colour bars on top).
      expect(rows.length).toBeGreaterThanOrEqual(6);
    }
  });

});

describe('renderPdf without Chromium', () => {
  const failure = (promise: Promise<unknown>): Promise<LumenError> =>
    promise.then(
      () => {
        throw new Error('expected a failure');
      },
      (e: unknown) => {
        expect(e).toBeInstanceOf(LumenError);
        return e as LumenError;
      },
    );

  it('none installed: a clear error that says what to do', async () => {
    const error = await failure(renderPdf('<p>x</p>', { chromium: null }));
    expect(error.message).toMatch(/A PDF report needs Chromium, which was not found \(looked for .*\/usr\/bin\/chromium/);
    expect(error.hint).toMatch(/Install Chromium .*LUMEN_CHROMIUM.* or export the report as HTML/);
  });

  it('one that cannot be started: the same advice', async () => {
    const error = await failure(renderPdf('<p>x</p>', { chromium: join(tempDir(), 'no-chromium') }));
    expect(error.message).toMatch(/Chromium could not be started/);
    expect(error.hint).toMatch(/Install Chromium/);
  });
});

describe('countPdfPages', () => {
  it('counts page objects, not the page tree', () => {
    const pdf = new TextEncoder().encode('%PDF-1.4\n1 0 obj <</Type /Pages /Count 2 /Kids [2 0 R 3 0 R]>>\n2 0 obj <</Type /Page>>\n3 0 obj <</Type/Page /Parent 1 0 R>>\n%%EOF');
    expect(countPdfPages(pdf)).toBe(2);
  });

  it('falls back to the page tree’s count when pages are in object streams', () => {
    expect(countPdfPages(new TextEncoder().encode('%PDF-1.5\n1 0 obj <</Type /Pages /Count 7>>\n%%EOF'))).toBe(7);
  });
});

describe('findChromium', () => {
  it('LUMEN_CHROMIUM wins when it exists', () => {
    const saved = process.env['LUMEN_CHROMIUM'];
    const fake = join(tempDir(), 'chromium');
    writeFileSync(fake, '');
    process.env['LUMEN_CHROMIUM'] = fake;
    try {
      expect(findChromium()).toBe(fake);
    } finally {
      if (saved === undefined) delete process.env['LUMEN_CHROMIUM'];
      else process.env['LUMEN_CHROMIUM'] = saved;
    }
    expect(existsSync(fake)).toBe(true);
  });
});
