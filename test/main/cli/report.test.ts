import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, lumenCli } from '../../helpers/built-app';
import { tempDir } from '../../helpers/tiny-models';

const lumen = (...args: string[]) => lumenCli({ LUMEN_CACHE_DIR: join(tempDir(), 'cache'), LUMEN_HOME: tempDir('lumen-home-') }, ...args);

/** The HTML without its image data, for searches in the text. */
const textOf = (html: string): string => html.replace(/data:image\/png;base64,[A-Za-z0-9+/=]+/g, 'data:…');

describe('lumen report', () => {
  let dir: string;
  let data: string;
  beforeAll(() => {
    ensureBuilt();
    // A labelled dataset (the model calls the coffee "espresso", the rocket "missile") with one patient-like name.
    data = tempDir('lumen-report-data-');
    mkdirSync(join(data, 'espresso'));
    mkdirSync(join(data, 'rocket'));
    copyFileSync('resources/samples/coffee.png', join(data, 'espresso', 'a-coffee.png'));
    copyFileSync('resources/samples/rocket.jpg', join(data, 'rocket', 'b-rocket.jpg'));
    copyFileSync('resources/samples/coffee.png', join(data, 'rocket', '00482113.png'));
    dir = join(tempDir(), 'study');
    expect(lumen('import', '--project', dir, '--create', '--dataset', 'photos', '--folder', data).code).toBe(0);
    const audit = lumen('audit', '--project', dir, '--dataset', 'photos', '--method', 'grad-cam', '--metrics', 'deletion', '--json');
    expect(audit.code, audit.stderr).toBe(0);
    expect(JSON.parse(audit.stdout)).toMatchObject({ runId: 1, total: 3 });
  }, 240_000);

  it('--run R --format html: the run’s images, method, metrics, summary and flags in one self-contained file', () => {
    const outDir = tempDir('lumen-report-out-');
    const out = join(outDir, 'run1.html');
    const r = lumen('report', '--project', dir, '--run', '1', '--format', 'html', '--out', out, '--title', 'Run 1 <review>', '--anonymise', '--json');
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { path: string; bytes: number; contentHash: string; warnings: string[] };
    expect(result.path).toBe(out);
    expect(readdirSync(outDir)).toEqual(['run1.html']);
    const html = readFileSync(out, 'utf8');
    expect(readFileSync(out).length).toBe(result.bytes);
    const text = textOf(html);
    expect(text).toContain('<h1>Run 1 &lt;review&gt;</h1>');
    expect(text).toContain('Grad-CAM');
    expect(text).toContain('Deletion');
    expect(text).toContain('Audit run 1: Grad-CAM on “photos”');
    expect(text).toContain('Accuracy per class');
    expect(text).toMatch(/Flagged images \(1\)/);
    expect(text).toContain('misclassified as');
    // Three images explained (in path order); the patient-like one is "Image 2" everywhere, paths stay out.
    expect(text.match(/<section class="image">/g)).toHaveLength(3);
    expect(text).toContain('a-coffee.png');
    expect(text).not.toContain('00482113');
    expect(text).toContain('Image 2 (name withheld)');
    expect(text).toMatch(/<tr><td>Image 2<\/td><td>rocket<\/td><td>espresso<\/td>/);
    for (const path of [dir, data]) expect(text).not.toContain(path);
    expect(text).not.toMatch(/(https?|file):\/\//);
  });

  it('--images chooses images of the run; one that is not in the run is a clear error and no file is written', () => {
    const outDir = tempDir('lumen-report-out-');
    const ok = lumen('report', '--project', dir, '--run', '1', '--images', 'a-coffee.png', '--format', 'html', '--out', join(outDir, 'one.html'));
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^wrote .*one\.html \(HTML, \d+ KiB\)/);
    expect(textOf(readFileSync(join(outDir, 'one.html'), 'utf8')).match(/<section class="image">/g)).toHaveLength(1);
    const bad = lumen('report', '--project', dir, '--run', '1', '--images', 'a-coffee.png,nope.png', '--format', 'html', '--out', join(outDir, 'bad.html'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('"nope.png" is not an image of run 1.');
    expect(bad.stderr).toContain('Its images: espresso/a-coffee.png');
    expect(readdirSync(outDir)).toEqual(['one.html']);
  });

  it('a run that does not exist, and a model that is not the run’s, are clear errors', () => {
    const outDir = tempDir('lumen-report-out-');
    const missing = lumen('report', '--project', dir, '--run', '9', '--format', 'html', '--out', join(outDir, 'r.html'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('There is no run 9');
    expect(missing.stderr).toContain('Its runs: 1');
    const other = join(tempDir(), 'other.onnx');
    copyFileSync('resources/models/mobilenet_v2_1.0_224/model.onnx', other);
    // The same network with one unknown protobuf field more: another file, another SHA-256.
    writeFileSync(other, Buffer.concat([readFileSync(other), Buffer.from([0xa0, 0x01, 0x00])]));
    const wrong = lumen('report', '--project', dir, '--run', '1', '--model', other, '--format', 'html', '--out', join(outDir, 'r.html'));
    expect(wrong.code, wrong.stderr).toBe(1);
    expect(wrong.stderr).toMatch(/other\.onnx is not the model run 1 was computed with: its SHA-256 is [0-9a-f]{64}, the run's model model\.onnx has [0-9a-f]{64}/);
    expect(readdirSync(outDir)).toEqual([]);
  });

  it('--spec: a JSON spec validated by the contract, its errors naming the field', () => {
    const outDir = tempDir('lumen-report-out-');
    const spec = join(outDir, 'spec.json');
    writeFileSync(spec, JSON.stringify({ project: dir, title: 'From a spec', images: [], methods: [] }));
    const empty = lumen('report', '--spec', spec, '--format', 'html', '--out', join(outDir, 'r.html'));
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('images: the report is empty: choose at least one image or one audit');
    writeFileSync(spec, JSON.stringify({ project: dir, title: 'From a spec', images: [{ dataset: 'photos', path: 'espresso/a-coffee.png' }], methods: [{ method: 'grad-cam' }], xraiArea: 2 }));
    const bad = lumen('report', '--spec', spec, '--format', 'html', '--out', join(outDir, 'r.html'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/The report spec .*spec\.json is not valid: xraiArea: /);
    writeFileSync(spec, JSON.stringify({ project: dir, title: 'From a spec', images: [{ dataset: 'photos', path: 'espresso/a-coffee.png' }], methods: [{ method: 'grad-cam' }] }));
    const ok = lumen('report', '--spec', spec, '--format', 'html', '--out', join(outDir, 'r.html'));
    expect(ok.code, ok.stderr).toBe(0);
    expect(textOf(readFileSync(join(outDir, 'r.html'), 'utf8'))).toContain('<h1>From a spec</h1>');
    expect(readdirSync(outDir).sort()).toEqual(['r.html', 'spec.json']);
  });

  it('the command line itself is checked', () => {
    const both = lumen('report', '--project', dir, '--run', '1', '--spec', 'x.json', '--format', 'html', '--out', 'x.html');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('run: give either --run R or --spec FILE');
    const mismatch = lumen('report', '--project', dir, '--run', '1', '--format', 'pdf', '--out', 'x.html');
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toContain('out: does not match --format');
  });
});
