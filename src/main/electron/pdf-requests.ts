import type { ResponseMessage } from '../../shared/contract/envelope';
import { toErrorPayload } from '../../shared/errors';
import type { CheckedRequest } from './ipc-request';
import { exportPdfReport, renderPdfReport, type ReportPrinter } from './pdf-report';

/**
 * The two requests the main process answers itself: report.render and report.export in PDF
 * (see pdf-report.ts). Undefined for every other request, which goes to the engine unchanged.
 * The answer is the contract's response envelope, its result checked by the method's schema.
 */
export function answerPdfRequest(checked: CheckedRequest, printer: ReportPrinter & { confine(out: string): string }): Promise<ResponseMessage> | undefined {
  if (checked.method === 'report.render' && checked.params.format === 'pdf') return answer(checked.id, () => renderPdfReport(checked.params.spec, printer));
  if (checked.method === 'report.export' && checked.params.format === 'pdf') return answer(checked.id, () => exportPdfReport(checked.params, printer));
  return undefined;
}

async function answer(id: string, work: () => Promise<unknown>): Promise<ResponseMessage> {
  try {
    return { type: 'response', id, ok: true, result: await work() };
  } catch (error) {
    return { type: 'response', id, ok: false, error: toErrorPayload(error) };
  }
}
