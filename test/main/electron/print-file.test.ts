import { existsSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isPrintRequestAllowed, withPrivateHtmlFile } from '../../../src/main/electron/print-file';

describe('the report a print window loads: a private temporary file, not a data: URL', () => {
  it('a 4 MB report is a file in a folder of its own, readable by this user only, removed afterwards', async () => {
    const html = `<!doctype html><p>${'x'.repeat(4_000_000)}</p>`;
    let seen: { path: string; url: string } | undefined;
    const size = await withPrivateHtmlFile(html, async (file) => {
      seen = file;
      expect(file.url).toMatch(/^file:\/\//);
      expect(fileURLToPath(file.url)).toBe(file.path);
      expect(dirname(file.path).startsWith(tmpdir())).toBe(true);
      if (process.platform !== 'win32') {
        expect(statSync(dirname(file.path)).mode & 0o777).toBe(0o700);
        expect(statSync(file.path).mode & 0o777).toBe(0o600);
      }
      return readFileSync(file.path, 'utf8').length;
    });
    expect(size).toBe(html.length);
    expect(existsSync(dirname(seen!.path))).toBe(false);
  });

  it('is removed when printing fails too', async () => {
    let folder = '';
    await expect(
      withPrivateHtmlFile('<p>x</p>', async (file) => {
        folder = dirname(file.path);
        throw new Error('printing failed');
      }),
    ).rejects.toThrow('printing failed');
    expect(folder).not.toBe('');
    expect(existsSync(folder)).toBe(false);
  });

  it('the print session loads only the report being printed and its data: images', () => {
    const printing = new Set(['file:///tmp/lumen-print-abc/report.html']);
    expect(isPrintRequestAllowed('file:///tmp/lumen-print-abc/report.html', printing)).toBe(true);
    expect(isPrintRequestAllowed('data:image/png;base64,AAAA', printing)).toBe(true);
    for (const url of ['file:///etc/passwd', 'file:///tmp/lumen-print-abc/other.html', 'https://example.com/x.png', 'http://127.0.0.1:8080/']) {
      expect(isPrintRequestAllowed(url, printing), url).toBe(false);
    }
  });
});
