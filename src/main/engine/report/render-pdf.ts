import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LumenError } from '../../../shared/errors';

/** Where headless Chromium is looked for, in order (LUMEN_CHROMIUM first). */
export function chromiumCandidates(): string[] {
  return [process.env['LUMEN_CHROMIUM'], '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'].filter((p): p is string => !!p);
}

/** The Chromium that prints PDFs, or null when none is installed. */
export function findChromium(): string | null {
  return chromiumCandidates().find((p) => existsSync(p)) ?? null;
}

export interface PdfOptions {
  signal?: AbortSignal | undefined;
  /** Chromium to use (default: findChromium()); null: none is installed. */
  chromium?: string | null | undefined;
  /** Give up after this long (default 120 s). */
  timeoutMs?: number;
}

/**
 * Prints a self-contained HTML report to PDF with headless Chromium: the HTML goes to a private
 * temporary folder (Chromium reads it as a file:// page; the page itself loads nothing, its CSP
 * forbids it), Chromium runs with a throw-away profile, no network services and no GPU, and
 * prints with the page's own A4 CSS. Everything temporary is removed afterwards.
 */
export async function renderPdf(html: string, options: PdfOptions = {}): Promise<{ pdf: Uint8Array; pages: number }> {
  const chromium = options.chromium === undefined ? findChromium() : options.chromium;
  if (!chromium) {
    throw new LumenError(
      'not-found',
      'A PDF report needs Chromium, which was not found (looked for ' + chromiumCandidates().join(', ') + ').',
      'Install Chromium (e.g. `apt-get install chromium`) or set LUMEN_CHROMIUM to its executable; or export the report as HTML and print it from a browser.',
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'lumen-report-'));
  try {
    const page = join(dir, 'report.html');
    const out = join(dir, 'report.pdf');
    await writeFile(page, html);
    const args = [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-default-apps',
      '--disable-extensions',
      '--disable-sync',
      '--no-first-run',
      '--no-default-browser-check',
      '--mute-audio',
      '--hide-scrollbars',
      '--disable-dev-shm-usage',
      `--user-data-dir=${join(dir, 'profile')}`,
      '--no-pdf-header-footer',
      `--print-to-pdf=${out}`,
      pathToFileURL(page).href,
    ];
    const stderr = await run(chromium, args, dir, options);
    let pdf: Uint8Array;
    try {
      pdf = new Uint8Array(await readFile(out));
    } catch {
      throw new LumenError('internal', `Chromium did not write the PDF (${lastLines(stderr)}).`, 'Try again; if it keeps failing, export the report as HTML and print it from a browser.');
    }
    if (pdf.length < 5 || Buffer.from(pdf.subarray(0, 5)).toString('latin1') !== '%PDF-') throw new LumenError('internal', 'Chromium wrote a file that is not a PDF.', 'Export the report as HTML and print it from a browser.');
    return { pdf, pages: countPdfPages(pdf) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], home: string, options: PdfOptions): Promise<string> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(new LumenError('cancelled', 'The report was cancelled.'));
  return new Promise((resolve, reject) => {
    // Chromium's caches and crash reports go to the temporary folder, not the user's home.
    const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache') };
    const child = spawn(command, args, { cwd: home, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.on('data', () => undefined);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-8000);
    });
    let reason: LumenError | null = null;
    const stop = (why: LumenError): void => {
      reason = why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => stop(new LumenError('internal', `Chromium did not finish printing the PDF within ${Math.round((options.timeoutMs ?? 120_000) / 1000)} s.`, 'Try again with fewer images, or export the report as HTML.')), options.timeoutMs ?? 120_000);
    const onAbort = (): void => stop(new LumenError('cancelled', 'The report was cancelled.'));
    signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    child.on('error', (error) => {
      finish();
      reject(new LumenError('not-found', `Chromium could not be started (${error.message}).`, 'Install Chromium or set LUMEN_CHROMIUM to its executable; or export the report as HTML.'));
    });
    child.on('close', (code) => {
      finish();
      if (reason) reject(reason);
      else if (code !== 0) reject(new LumenError('internal', `Chromium failed to print the PDF (exit code ${code}: ${lastLines(stderr)}).`, 'Export the report as HTML and print it from a browser.'));
      else resolve(stderr);
    });
  });
}

function lastLines(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/dbus|Fontconfig/i.test(l));
  return lines.slice(-3).join(' / ').slice(0, 400) || 'no output';
}

/**
 * Pages of a PDF without a PDF library: its /Type /Page objects (not /Pages). Chromium writes the
 * page dictionaries uncompressed; if a PDF keeps them in object streams, the page tree's /Count
 * is the answer instead.
 */
export function countPdfPages(pdf: Uint8Array): number {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  const pages = text.match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
  if (pages > 0) return pages;
  const counts = [...text.matchAll(/\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)|\/Count\s+(\d+)[^>]*?\/Type\s*\/Pages\b/g)].map((m) => Number(m[1] ?? m[2]));
  return Math.max(1, ...counts);
}
