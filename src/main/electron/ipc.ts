import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { routeEvent } from '../../shared/contract/event-routing';
import { ipcChannels } from '../../shared/contract/preload-api';
import { isMethod } from '../../shared/contract/requests';
import type { EngineProcess } from './engine-process';
import { isTrustedFrameUrl } from './renderer-location';
import { toErrorPayload } from '../../shared/errors';
import { writeReport } from '../engine/report/write-report';
import { pdfPageCount, printHtmlToPdf } from './print-to-pdf';

/**
 * Wires the contract to ipcMain: one request channel, checked sender, envelope checked here and
 * parameters checked by the engine. Request ids are prefixed with the window's id, so two windows
 * never collide, and the prefix is removed from the answer.
 */
export function registerIpc(engine: EngineProcess): void {
  ipcMain.handle(ipcChannels.request, async (event: IpcMainInvokeEvent, id: unknown, method: unknown, params: unknown) => {
    const replyId = typeof id === 'string' && id.length <= 100 ? id : 'invalid';
    if (!event.senderFrame || !isTrustedFrameUrl(event.senderFrame.url)) {
      return failure(replyId, 'invalid-request', 'Requests are only accepted from Lumen\'s own window.');
    }
    if (replyId === 'invalid' || !isMethod(method)) {
      return failure(replyId, 'invalid-request', `Malformed request (id ${JSON.stringify(id)}, method ${JSON.stringify(method)}).`);
    }
    const requestId = `${event.sender.id}:${replyId}`;
    if (method === 'report.render' && isPdfRequest(params)) {
      // The engine builds the HTML; Electron's Chromium prints it (no separate browser needed).
      const response = (await engine.current().request(requestId, method, { ...params, format: 'html' })) as Record<string, unknown>;
      return { ...(await asPdf(response)), id: replyId };
    }
    if (method === 'report.export' && isPdfRequest(params) && typeof params['out'] === 'string') {
      const response = (await engine.current().request(requestId, 'report.render', { spec: params['spec'], format: 'html' })) as Record<string, unknown>;
      return { ...(await exportPdf(await asPdf(response), params['out'], params['overwrite'] === true)), id: replyId };
    }
    const response = (await engine.current().request(requestId, method, params)) as Record<string, unknown>;
    return { ...response, id: replyId };
  });

  ipcMain.on(ipcChannels.cancel, (event, id: unknown) => {
    if (typeof id === 'string') engine.current().cancel(`${event.sender.id}:${id}`);
  });

  engine.onEvent((message) => {
    // Progress goes to the window that asked (with its own request id); other events to all.
    const routed = routeEvent(message);
    for (const window of BrowserWindow.getAllWindows()) {
      if (routed.owner === null) window.webContents.send(ipcChannels.event, message);
      else if (String(window.webContents.id) === routed.owner) window.webContents.send(ipcChannels.event, routed.message);
    }
  });
}

function isPdfRequest(params: unknown): params is Record<string, unknown> {
  return typeof params === 'object' && params !== null && (params as { format?: unknown }).format === 'pdf';
}

async function asPdf(response: Record<string, unknown>): Promise<Record<string, unknown>> {
  const result = response['result'] as { html?: unknown } | undefined;
  if (response['ok'] !== true || typeof result?.html !== 'string') return response;
  try {
    const pdf = await printHtmlToPdf(result.html);
    return { ...response, result: { ...result, format: 'pdf', html: undefined, pdf, pages: pdfPageCount(pdf) } };
  } catch (error) {
    return { type: 'response', id: response['id'], ok: false, error: { code: 'internal', message: `The PDF could not be printed: ${(error as Error).message}.`, hint: 'Export HTML instead, and print it from a browser.' } };
  }
}

/** Writes a printed report atomically (no partial file on failure) and answers as report.export does. */
async function exportPdf(printed: Record<string, unknown>, out: string, overwrite: boolean): Promise<Record<string, unknown>> {
  const result = printed['result'] as { pdf?: unknown; contentHash?: unknown; warnings?: unknown; pages?: unknown } | undefined;
  if (printed['ok'] !== true || !(result?.pdf instanceof Uint8Array)) return printed;
  try {
    const written = await writeReport(out, result.pdf, { format: 'pdf', overwrite });
    return { ...printed, result: { path: written.path, bytes: written.bytes, contentHash: result.contentHash, warnings: result.warnings, pages: result.pages } };
  } catch (error) {
    return { type: 'response', id: printed['id'], ok: false, error: toErrorPayload(error) };
  }
}

function failure(id: string, code: string, message: string): unknown {
  return { type: 'response', id, ok: false, error: { code, message } };
}
