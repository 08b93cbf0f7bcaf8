import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/built-app';
import { dciodvfy, dcmdump } from '../../helpers/dicom-tools';
import { tempDir } from '../../helpers/tiny-models';
import { lumen } from '../../helpers/run-lumen';

process.env['LUMEN_HOME'] = tempDir('lumen-home-');
process.env['LUMEN_CACHE_DIR'] = join(tempDir(), 'cache');

/** The lumen command in this process: exit code and what it printed. */
const fixture = (name: string): string => join(repoRoot, 'test/fixtures/dicom-export', name);

describe('lumen export-dicom', () => {
  it('a DICOM image: a de-identified Secondary Capture and Segmentation, valid for dciodvfy, with no identifier', async () => {
    const out = tempDir();
    const r = await lumen('export-dicom', '--image', fixture('identifying.dcm'), '--method', 'grad-cam', '--out', out, '--segmentation', '--json');
    expect(r.code, r.err).toBe(0);
    const result = JSON.parse(r.out) as { deidentified: boolean; sourceIsDicom: boolean; files: Array<{ kind: string; path: string; data?: unknown }> };
    expect(result).toMatchObject({ deidentified: true, sourceIsDicom: true });
    expect(result.files.map((f) => f.kind)).toEqual(['secondary-capture', 'segmentation']);
    expect(readdirSync(out).sort()).toEqual(['identifying.grad-cam-overlay.dcm', 'identifying.xrai-segmentation.dcm']);
    for (const file of result.files) {
      expect(file.data).toBeUndefined();
      expect(dciodvfy(file.path).errors).toEqual([]);
      expect(dcmdump(file.path)).not.toMatch(/SECRET|MRN7734921|19061209|1\.2\.826\.0\.1\.3680043\.10\.1148/);
    }
  }, 180_000);

  it('a PNG named like a patient: valid DICOM (overlay and segmentation) in a new study, a file name that does not repeat it, and a note that the source had no DICOM identity', async () => {
    const dir = tempDir();
    const image = join(dir, 'MRN7734921.png');
    copyFileSync(fixture('identifying.png'), image);
    const out = join(dir, 'dicom');
    const r = await lumen('export-dicom', '--image', image, '--method', 'gradient', '--out', out, '--segmentation');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/de-identified/);
    expect(r.out).toMatch(/is not a DICOM image/);
    const names = readdirSync(out).sort();
    expect(names).toHaveLength(2);
    expect(names[0]).toMatch(/^image-[0-9a-f]{8}\.gradient-overlay\.dcm$/);
    expect(names[1]).toMatch(/^image-[0-9a-f]{8}\.xrai-segmentation\.dcm$/);
    for (const name of names) {
      const verdict = dciodvfy(join(out, name));
      expect(verdict.errors, verdict.output).toEqual([]);
      expect(dcmdump(join(out, name))).not.toContain('MRN7734921');
    }
  }, 180_000);

  it('--keep-identifiers keeps them and warns on stderr', async () => {
    const out = tempDir();
    const r = await lumen('export-dicom', '--image', fixture('identifying.dcm'), '--method', 'gradient', '--out', out, '--keep-identifiers');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/warning: --keep-identifiers/);
    expect(r.out).toMatch(/identifiers kept/);
    expect(dcmdump(join(out, 'identifying.gradient-overlay.dcm'))).toContain('HOPPERSECRET^GRACE');
  }, 180_000);

  it.each([
    [['export-dicom', '--image', 'x.dcm', '--out', 'o'], /method: is required/],
    [['export-dicom', '--image', 'x.dcm', '--method', 'grad-cam'], /out: is required/],
    [['export-dicom', '--image', 'x.dcm', '--method', 'grad-cam', '--out', 'o', '--area', '1.5'], /area: must be at most 1/],
  ])('%j is refused with exit code 2', async (args, message) => {
    const r = await lumen(...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });
});
