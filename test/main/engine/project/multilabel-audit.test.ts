import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import type { AuditResult } from '../../../../src/shared/contract/audit';
import { importCsv } from '../../../../src/main/engine/project/dataset-import';
import { ProjectStore } from '../../../../src/main/engine/project/project-store';
import { mergeShards } from '../../../../src/main/engine/project/shards';
import { testApi } from '../../../helpers/engine';
import { tempDir } from '../../../helpers/tiny-models';

/**
 * A multi-label audit end to end through the engine: the five-finding model and its 16-image
 * dataset from tools/fixtures/make_multilabel_fixtures.py, truth from the per-finding CSV (blank =
 * unknown) or from '|'-separated labels; expected figures computed there in NumPy (float64).
 */
const fixtures = new URL('../../../fixtures/multilabel/', import.meta.url).pathname;
const expected = JSON.parse(readFileSync(join(fixtures, 'audit.json'), 'utf8')) as {
  findings: Array<{ finding: string; threshold: number; images: number; positives: number; auroc: number; sensitivity: number; specificity: number }>;
  images: Array<{ path: string; falsePositives: string[]; falseNegatives: string[]; probabilities: number[] }>;
};

describe('a multi-label audit', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let modelId: string;
  const project = join(tempDir(), 'chest');
  beforeAll(async () => {
    ({ api, close } = testApi());
    const store = ProjectStore.open(project, { create: true });
    const findingsReport = await importCsv(store, 'findings', join(fixtures, 'findings.csv'), join(fixtures, 'dataset'));
    const labelsReport = await importCsv(store, 'labels', join(fixtures, 'labels.csv'), join(fixtures, 'dataset'));
    store.close();
    expect(findingsReport.problems).toEqual([]);
    expect(findingsReport.images.added).toBe(16);
    expect(labelsReport.images.added).toBe(16);
    modelId = (await api.call('models.open', { path: join(fixtures, 'model.onnx') })).id;
  });
  afterAll(() => close());

  it('stores the per-finding CSV as labels: present findings, unknown ones marked with ?', () => {
    const store = ProjectStore.open(project);
    const label = (path: string) => (store.db.prepare("SELECT i.label FROM images i JOIN datasets d ON d.id = i.dataset_id WHERE d.name = 'findings' AND i.path = ?").get(path) as { label: string }).label;
    // findings.csv: img00.png,1,0,1,,0 and img03.png,0,0,1,1,0
    expect(label('img00.png')).toBe('Atelectasis|Effusion|?Nodule');
    expect(label('img03.png')).toBe('Effusion|Nodule');
    store.close();
  });

  let result: AuditResult;
  it('gives per finding AUROC, sensitivity and specificity at the card thresholds, as NumPy does', async () => {
    result = await api.call('audit', { project, dataset: 'findings', modelId, method: 'gradient', params: { objective: 'sigmoid' } });
    expect(result.computed).toBe(16);
    expect(result.perClass).toEqual([]);
    const findings = result.multiLabel!.findings;
    expect(findings.map((f) => f.finding)).toEqual(expected.findings.map((f) => f.finding));
    for (const [i, want] of expected.findings.entries()) {
      const got = findings[i]!;
      expect(got).toMatchObject({ threshold: want.threshold, images: want.images, positives: want.positives });
      expect(got.auroc.value).toBeCloseTo(want.auroc, 9);
      expect(got.sensitivity.value).toBeCloseTo(want.sensitivity, 9);
      expect(got.specificity.value).toBeCloseTo(want.specificity, 9);
      for (const e of [got.auroc, got.sensitivity, got.specificity]) {
        expect(e.ciLow!).toBeLessThanOrEqual(e.value! + 1e-12);
        expect(e.ciHigh!).toBeGreaterThanOrEqual(e.value! - 1e-12);
      }
    }
    expect(result.multiLabel!.unmatchedLabels).toEqual([]);
    // The findings' probabilities are kept per image, not summarised as attribution metrics.
    expect(result.metrics.map((m) => m.metric)).not.toContain('finding:Effusion');
  });

  it('flags each image’s false positives and false negatives at threshold, and no image as "misclassified"', () => {
    for (const image of expected.images) {
      const reasons = result.flags.find((f) => f.path === image.path)?.reasons ?? [];
      const fp = reasons.filter((r) => r.startsWith('false positive: ')).map((r) => r.split(' ')[2]);
      const fn = reasons.filter((r) => r.startsWith('false negative: ')).map((r) => r.split(' ')[2]);
      expect({ path: image.path, fp, fn }).toEqual({ path: image.path, fp: image.falsePositives, fn: image.falseNegatives });
      expect(reasons.some((r) => r.startsWith('misclassified'))).toBe(false);
    }
    const total = (key: 'falsePositives' | 'falseNegatives') => expected.images.reduce((s, i) => s + i[key].length, 0);
    expect(result.multiLabel!.findings.reduce((s, f) => s + f.falsePositives, 0)).toBe(total('falsePositives'));
    expect(result.multiLabel!.findings.reduce((s, f) => s + f.falseNegatives, 0)).toBe(total('falseNegatives'));
    expect(result.flags.find((f) => f.path === 'img03.png')!.reasons).toContain('false positive: Cardiomegaly 83% ≥ threshold 60%');
  });

  it('keeps every finding’s probability per image, and the stored summary says the same after a restart', async () => {
    const page = await api.call('audit.results', { project, runId: result.runId, limit: 100 });
    for (const image of expected.images) {
      const row = page.rows.find((r) => r.path === image.path)!;
      expected.findings.forEach((f, k) => expect(row.metrics[`finding:${f.finding}`]).toBeCloseTo(image.probabilities[k]!, 4));
    }
    const summary = await api.call('audit.summary', { project, runId: result.runId });
    expect(summary.multiLabel).toEqual(result.multiLabel);
    expect(summary.flags).toEqual(result.flags);
  });

  it('the report shows the per-finding table instead of accuracy per label', async () => {
    const rendered = await api.call('report.render', { spec: { project, modelId, title: 'Chest findings', runs: [result.runId] }, format: 'html' });
    const html = rendered.html!;
    expect(html).toContain('<h3>Findings (multi-label)</h3>');
    expect(html).not.toContain('Accuracy per class');
    for (const f of expected.findings) expect(html).toMatch(new RegExp(`<tr><td>${f.finding}</td><td class="num">${(100 * f.threshold).toFixed(1)}%</td><td class="num">${f.images} \\(${f.positives}\\)</td><td class="num">${f.auroc.toFixed(3)} `));
    expect(html).toContain('false positive: Cardiomegaly 83% ≥ threshold 60%');
  });

  it('shards audit their slices and merge into the same per-finding summary', async () => {
    const sharded = join(tempDir(), 'sharded');
    const store = ProjectStore.open(sharded, { create: true });
    await importCsv(store, 'findings', join(fixtures, 'findings.csv'), join(fixtures, 'dataset'));
    store.close();
    const request = { project: sharded, dataset: 'findings', modelId, method: 'gradient', params: { objective: 'sigmoid' } };
    for (const shard of ['1/2', '2/2']) expect((await api.call('audit', { ...request, shard })).computed).toBe(8);
    await mergeShards(sharded);
    const whole = await api.call('audit', request);
    expect([whole.computed, whole.resumed]).toEqual([0, 16]);
    expect(whole.multiLabel).toEqual(result.multiLabel);
  });

  it("reads '|'-separated labels the same way (every finding not named is absent)", async () => {
    const fromLabels = await api.call('audit', { project, dataset: 'labels', modelId, method: 'gradient', params: { objective: 'sigmoid' } });
    // labels.csv has no unknowns: a finding blank in the CSV is absent here, so count the images anew.
    for (const f of fromLabels.multiLabel!.findings) expect(f.images).toBe(16);
    expect(fromLabels.multiLabel!.findings.map((f) => f.positives)).toEqual(expected.findings.map((f) => f.positives));
  });
});
