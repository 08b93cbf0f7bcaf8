import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importFolder } from '../../../src/main/engine/project/dataset-import';
import { ProjectStore } from '../../../src/main/engine/project/project-store';
import { repoRoot } from '../../helpers/built-app';
import { tempDir } from '../../helpers/tiny-models';
import { lumen } from '../../helpers/run-lumen';

process.env['LUMEN_HOME'] = tempDir('lumen-home-');
process.env['LUMEN_CACHE_DIR'] = join(tempDir(), 'cache');

describe('lumen report --include-identifiers', () => {
  const dir = tempDir('lumen-report-ids-');
  const project = join(dir, 'study');
  const specFile = join(dir, 'spec.json');
  beforeAll(async () => {
    const data = join(dir, 'data');
    mkdirSync(join(data, 'scans'), { recursive: true });
    copyFileSync(join(repoRoot, 'test/fixtures/dicom-export/identifying.dcm'), join(data, 'scans', 'IM1.dcm'));
    const store = ProjectStore.open(project, { create: true });
    try {
      await importFolder(store, 'd', data);
    } finally {
      store.close();
    }
    writeFileSync(specFile, JSON.stringify({ project, title: 'Review', summary: 'Seen by REFERRERSECRET at SECRETINSTITUTE HOSPITAL.', images: [{ dataset: 'd', path: 'scans/IM1.dcm' }], methods: [{ method: 'gradient', params: {} }] }));
  }, 60_000);

  it('withholds the identifiers by default and shows them when asked', async () => {
    const withheld = join(dir, 'withheld.html');
    const shown = join(dir, 'shown.html');
    const a = await lumen('report', '--spec', specFile, '--format', 'html', '--out', withheld);
    expect(a.code, a.err).toBe(0);
    const b = await lumen('report', '--spec', specFile, '--format', 'html', '--out', shown, '--include-identifiers');
    expect(b.code, b.err).toBe(0);
    expect(readFileSync(withheld, 'utf8')).not.toContain('SECRETINSTITUTE');
    expect(readFileSync(withheld, 'utf8')).toContain('[withheld]');
    expect(readFileSync(shown, 'utf8')).toContain('SECRETINSTITUTE');
  }, 120_000);
});
