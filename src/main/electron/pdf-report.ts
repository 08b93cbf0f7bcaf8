import type { z } from 'zod';
import { ExportedReport, RenderedReport, type ExportReportParams, type ReportSpec } from '../../shared/contract/report';
import { LumenError } from '../../shared/errors';
import { checkExportTarget } from '../engine/report/export-target';
import { countPdfPages } from '../engine/report/render-pdf';
import { writeReport } from '../engine/report/write-report';

/**
 * What the desktop app adds to a PDF report: the engine builds the HTML (report.render), and
 * Electron's own Chromium prints it, so the app needs no separate browser.
 */
export interface ReportPrinter {
  /** The engine's report.render in HTML, as the contract types it. */
  renderHtml(spec: z.output<typeof ReportSpec>): Promise<z.output<typeof RenderedReport>>;
  /** The HTML as PDF bytes. */
  print(html: string): Promise<Uint8Array>;
}

/** report.render with format pdf: the contract's RenderedReport, checked by its schema. */
export async function renderPdfReport(spec: z.output<typeof ReportSpec>, printer: ReportPrinter): Promise<z.output<typeof RenderedReport>> {
  const rendered = await printer.renderHtml(spec);
  if (rendered.html === undefined) throw new LumenError('internal', 'The engine answered report.render in HTML without the HTML.');
  let pdf: Uint8Array;
  try {
    pdf = await printer.print(rendered.html);
  } catch (error) {
    throw new LumenError('internal', `The PDF could not be printed: ${(error as Error).message}.`, 'Export HTML instead, and print it from a browser.');
  }
  return RenderedReport.parse({ format: 'pdf', pdf, pages: countPdfPages(pdf), contentHash: rendered.contentHash, warnings: rendered.warnings });
}

/**
 * report.export with format pdf: the target is checked before the report is built (not over a
 * project's files, not over a file unless asked, and where `confine` allows: a file picked in
 * the save dialog, or inside a project the page opened), then written atomically (no partial
 * file on failure). The answer is the contract's ExportedReport, checked by its schema.
 */
export async function exportPdfReport(
  params: Pick<z.output<typeof ExportReportParams>, 'spec' | 'out' | 'overwrite'>,
  printer: ReportPrinter & { confine(out: string): string },
): Promise<z.output<typeof ExportedReport>> {
  const target = { format: 'pdf', overwrite: params.overwrite } as const;
  checkExportTarget(params.out, target);
  const path = printer.confine(params.out);
  const printed = await renderPdfReport(params.spec, printer);
  const written = await writeReport(path, printed.pdf!, target);
  return ExportedReport.parse({ path: written.path, bytes: written.bytes, contentHash: printed.contentHash, warnings: printed.warnings, pages: printed.pages });
}
