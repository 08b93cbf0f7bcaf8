import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeReportFs, writeReport, type ReportFs } from '../../../../src/main/engine/report/write-report';
import { tempDir } from '../../../helpers/tiny-models';
import { failure } from '../../../helpers/failure';

const html = { format: 'html', overwrite: false } as const;

/** A disk that fills up: the temporary file gets the first bytes, then the write fails with ENOSPC. */
function fullDisk(after: number): ReportFs {
  return {
    ...nodeReportFs,
    open: async (path, flags) => {
      const handle = await open(path, flags);
      return {
        write: async (data: Uint8Array) => {
          await handle.writeFile(data.subarray(0, after));
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
        },
        sync: () => handle.sync(),
        close: () => handle.close(),
      };
    },
  };
}

describe('writeReport: the whole file or none', () => {
  it('writes the file and leaves no temporary file', async () => {
    const dir = tempDir();
    const result = await writeReport(join(dir, 'r.html'), '<!doctype html><p>ok</p>', html);
    expect(result).toEqual({ path: join(dir, 'r.html'), bytes: 24 });
    expect(readdirSync(dir)).toEqual(['r.html']);
    expect(readFileSync(join(dir, 'r.html'), 'utf8')).toBe('<!doctype html><p>ok</p>');
  });

  it('a full disk: a clear error, the temporary file removed, the folder empty', async () => {
    const dir = tempDir();
    const error = await failure(writeReport(join(dir, 'r.pdf'), new Uint8Array(100_000).fill(7), { format: 'pdf', overwrite: false }, fullDisk(4096)));
    expect(error.message).toMatch(/The disk is full: the report \(0\.1 MB\) could not be written to .*r\.pdf\. Nothing was written\./);
    expect(error.hint).toMatch(/Free some space/);
    expect(error.details).toMatchObject({ code: 'ENOSPC' });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a failure leaves an existing report as it was', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'r.html'), 'the old report');
    await failure(writeReport(join(dir, 'r.html'), 'the new report', { format: 'html', overwrite: true }, fullDisk(3)));
    expect(readdirSync(dir)).toEqual(['r.html']);
    expect(readFileSync(join(dir, 'r.html'), 'utf8')).toBe('the old report');
  });

  it('a failing rename or fsync is cleaned up too', async () => {
    const dir = tempDir();
    const failingRename: ReportFs = { ...nodeReportFs, rename: async () => Promise.reject(Object.assign(new Error('EACCES'), { code: 'EACCES' })) };
    expect((await failure(writeReport(join(dir, 'r.html'), 'x', html, failingRename))).message).toMatch(/may not write to/);
    expect(readdirSync(dir)).toEqual([]);
    const failingSync: ReportFs = {
      ...nodeReportFs,
      open: async (path, flags) => {
        const handle = await nodeReportFs.open(path, flags);
        return { ...handle, sync: async () => Promise.reject(Object.assign(new Error('EIO'), { code: 'EIO' })) };
      },
    };
    expect((await failure(writeReport(join(dir, 'r.html'), 'x', html, failingSync))).message).toMatch(/could not be written .*\(EIO\)\. Nothing was written/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a folder that does not exist is named', async () => {
    const dir = tempDir();
    const error = await failure(writeReport(join(dir, 'nope', 'r.html'), 'x', html));
    expect(error.message).toBe(`The folder ${join(dir, 'nope')} does not exist.`);
    expect(readdirSync(dir)).toEqual([]);
  });
});
