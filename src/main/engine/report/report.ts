import type { z } from 'zod';
import type { ExportedReport, RenderedReport } from '../../../shared/contract/report';
import { LumenError } from '../../../shared/errors';
import type { LoadedModel } from '../model/model-registry';
import { renderHtml } from './render-html';
import { renderPdf } from './render-pdf';
import { gatherReport, gatherSteps, type ReportServices, type ReportSpecValue } from './report-model';
import { checkExportTarget } from './export-target';
import { writeReport, type ReportFs } from './write-report';

export interface ReportRequest {
  spec: ReportSpecValue;
  format: 'html' | 'pdf';
  model: LoadedModel;
  signal?: AbortSignal | undefined;
  onProgress?: ((done: number, total: number) => void) | undefined;
  /** The report's date (default: now); the only thing that differs between two renders. */
  date?: Date;
}

/** A report from its spec: gathered, laid out as HTML, and printed to PDF when asked. */
export async function buildReport(services: ReportServices, request: ReportRequest): Promise<RenderedReport> {
  const { spec, format, signal } = request;
  const total = gatherSteps(spec) + 1 + (format === 'pdf' ? 1 : 0);
  const progress = (done: number): void => request.onProgress?.(done, total);
  const model = await gatherReport(spec, request.model, services, { signal, onProgress: (done) => progress(done) });
  if (signal?.aborted) throw new LumenError('cancelled', 'The report was cancelled.');
  const html = await renderHtml(model, request.date ?? new Date());
  progress(gatherSteps(spec) + 1);
  if (format === 'html') return { format, html: html.html, contentHash: html.contentHash, warnings: html.warnings };
  const { pdf, pages } = await renderPdf(html.html, { signal });
  progress(total);
  return { format, pdf, pages, contentHash: html.contentHash, warnings: html.warnings };
}

/**
 * A report written to a file, atomically: the whole file or, on any failure, none. Never over a
 * project's own files, and over an existing file only when `overwrite` says so.
 */
export async function exportReport(services: ReportServices, request: ReportRequest & { out: string; overwrite?: boolean; fs?: ReportFs }): Promise<z.output<typeof ExportedReport>> {
  const target = { format: request.format, overwrite: request.overwrite ?? false };
  checkExportTarget(request.out, target);
  const rendered = await buildReport(services, request);
  const data = rendered.format === 'pdf' ? rendered.pdf! : rendered.html!;
  if (request.signal?.aborted) throw new LumenError('cancelled', 'The report was cancelled.');
  const { path, bytes } = await writeReport(request.out, data, target, request.fs);
  return { path, bytes, contentHash: rendered.contentHash, ...(rendered.pages !== undefined ? { pages: rendered.pages } : {}), warnings: rendered.warnings };
}
