import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * A report to print, as a file in a private temporary folder (mkdtemp: readable by this user only),
 * for as long as `work` runs, then removed with its folder. A report is megabytes of HTML: as a
 * `data:` URL it would pass Chromium's URL limit, and a file needs no protocol handler.
 */
export async function withPrivateHtmlFile<T>(html: string, work: (file: { path: string; url: string }) => Promise<T>): Promise<T> {
  const folder = await mkdtemp(join(tmpdir(), 'lumen-print-'));
  try {
    const path = join(folder, 'report.html');
    await writeFile(path, html, { encoding: 'utf8', mode: 0o600, flag: 'wx' });
    return await work({ path, url: pathToFileURL(path).href });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/**
 * What the print window may load: the report files being printed, and the `data:` images inside
 * them. Nothing else: a report has no external references, and none may reach the network.
 */
export function isPrintRequestAllowed(url: string, printing: ReadonlySet<string>): boolean {
  return url.startsWith('data:') || printing.has(url);
}
