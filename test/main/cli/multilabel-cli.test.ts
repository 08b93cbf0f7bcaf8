import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/tiny-models';
import { lumen } from '../../helpers/run-lumen';

process.env['LUMEN_HOME'] = tempDir('lumen-home-');
process.env['LUMEN_CACHE_DIR'] = join(tempDir(), 'cache');

/** The lumen command in this process: exit code and what it printed. */
const fixtures = new URL('../../fixtures/multilabel/', import.meta.url).pathname;
const model = join(fixtures, 'model.onnx');
const expected = JSON.parse(readFileSync(join(fixtures, 'audit.json'), 'utf8')) as {
  findings: Array<{ finding: string; threshold: number; auroc: number }>;
  images: Array<{ path: string; probabilities: number[] }>;
};

describe('lumen classify and lumen audit on a multi-label model', () => {
  it('classify lists every finding, most probable first, with its probability and threshold decision', async () => {
    const r = await lumen('classify', '--model', model, '--image', join(fixtures, 'dataset', 'img03.png'));
    expect(r.code, r.err).toBe(0);
    const probabilities = expected.images.find((i) => i.path === 'img03.png')!.probabilities;
    const order = expected.findings.map((f, k) => ({ ...f, p: probabilities[k]! })).sort((a, b) => b.p - a.p);
    const lines = r.out.split('\n');
    const first = lines.findIndex((l) => l.includes('findings present'));
    expect(lines[first]).toBe(`${order.filter((f) => f.p >= f.threshold).length} of 5 findings present at the card's thresholds:`);
    order.forEach((f, k) => {
      const line = lines[first + 1 + k]!;
      expect(line).toContain(f.finding);
      expect(line).toContain(`${(100 * f.p).toFixed(1)}%`);
      expect(line).toMatch(f.p >= f.threshold ? new RegExp(`≥ ${(100 * f.threshold).toFixed(1)}%\\s+PRESENT`) : new RegExp(`< ${(100 * f.threshold).toFixed(1)}%\\s+absent`));
    });
    const json = JSON.parse((await lumen('classify', '--model', model, '--image', join(fixtures, 'dataset', 'img03.png'), '--json')).out) as { findings: Array<{ label: string; present: boolean; threshold: number }> };
    expect(json.findings.map((f) => f.label)).toEqual(order.map((f) => f.finding));
    expect(json.findings.find((f) => f.label === 'Cardiomegaly')).toMatchObject({ threshold: 0.6, present: true });
  });

  it('audit prints the per-finding table: AUROC with its interval, sensitivity, specificity, FP and FN', async () => {
    const project = join(tempDir(), 'chest');
    const imported = await lumen('import', '--project', project, '--create', '--dataset', 'chest', '--csv', join(fixtures, 'findings.csv'), '--root', join(fixtures, 'dataset'));
    expect(imported.code, imported.err).toBe(0);
    const r = await lumen('audit', '--project', project, '--dataset', 'chest', '--model', model, '--method', 'gradient', '--params', '{"objective":"sigmoid"}');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('per finding (truth known; FP/FN at threshold):');
    expect(r.out).toMatch(/finding\s+threshold\s+n \(pos\)\s+AUROC \[95% CI\]\s+sensitivity \[95% CI\]\s+specificity \[95% CI\]\s+FP\s+FN/);
    for (const f of expected.findings) expect(r.out).toMatch(new RegExp(`${f.finding}\\s+${(100 * f.threshold).toFixed(1)}%\\s+\\d+ \\(\\d+\\)\\s+${f.auroc.toFixed(3)} \\[`));
    expect(r.out).toContain('false positive: Cardiomegaly 83% ≥ threshold 60%');
  });
});
