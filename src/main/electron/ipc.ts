import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { z } from 'zod';
import { routeEvent } from '../../shared/contract/event-routing';
import { ipcChannels } from '../../shared/contract/preload-api';
import type { ExportReportParams, RenderReportParams } from '../../shared/contract/report';
import type { EngineProcess } from './engine-process';
import { isTrustedFrameUrl } from './renderer-location';
import { toErrorPayload } from '../../shared/errors';
import { checkExportTarget } from '../engine/report/export-target';
import { writeReport } from '../engine/report/write-report';
import { AllowPathMessage } from '../engine-host/allow-path';
import { checkIpcRequest } from './ipc-request';
import { pdfPageCount, printHtmlToPdf } from './print-to-pdf';

/**
 * Wires the contract to ipcMain: one request channel, checked sender, and every request checked
 * against the contract's schemas here, before the engine or the main process acts on it (the
 * engine checks again). Request ids are prefixed with the window's id, so two windows never
 * collide, and the prefix is removed from the answer.
 */
export function registerIpc(engine: EngineProcess): void {
  ipcMain.handle(ipcChannels.request, async (event: IpcMainInvokeEvent, id: unknown, method: unknown, params: unknown) => {
    if (!event.senderFrame || !isTrustedFrameUrl(event.senderFrame.url)) {
      return failure(typeof id === 'string' && id.length <= 100 ? id : 'invalid', 'invalid-request', 'Requests are only accepted from Lumen\'s own window.');
    }
    const checked = checkIpcRequest(id, method, params);
    if (!checked.ok) return checked.response;
    const replyId = checked.id;
    const requestId = `${event.sender.id}:${replyId}`;
    if (checked.method === 'report.render' && (checked.params as z.output<typeof RenderReportParams>).format === 'pdf') {
      // The engine builds the HTML; Electron's Chromium prints it (no separate browser needed).
      const { spec } = checked.params as z.output<typeof RenderReportParams>;
      const response = (await engine.current().request(requestId, 'report.render', { spec, format: 'html' })) as Record<string, unknown>;
      return { ...(await asPdf(response)), id: replyId };
    }
    if (checked.method === 'report.export' && (checked.params as z.output<typeof ExportReportParams>).format === 'pdf') {
      const { spec, out, overwrite } = checked.params as z.output<typeof ExportReportParams>;
      let target: string;
      try {
        // Checked before the report is built: not over a project's files, not over a file unless asked,
        // and (the rule the engine holds for the HTML export) only where the user chose: a file picked
        // in the save dialog, or inside a project the page opened. The checked real path is written.
        checkExportTarget(out, { format: 'pdf', overwrite });
        target = engine.grants.roots.writable(out, 'The report file');
      } catch (error) {
        return { type: 'response', id: replyId, ok: false, error: toErrorPayload(error) };
      }
      const response = (await engine.current().request(requestId, 'report.render', { spec, format: 'html' })) as Record<string, unknown>;
      return { ...(await exportPdf(await asPdf(response), target, overwrite)), id: replyId };
    }
    const response = (await engine.current().request(requestId, checked.method, checked.params)) as Record<string, unknown>;
    if ((checked.method === 'projects.open' || checked.method === 'projects.demo') && response['ok'] === true) {
      // The engine now lets the page write in this project; the main process keeps it too, for its
      // own PDF export and for a fresh engine should this one die.
      const opened = (response['result'] as { path?: unknown } | undefined)?.path;
      const grant = AllowPathMessage.safeParse({ type: 'allow-path', path: opened, access: 'write' });
      if (grant.success) engine.grants.record(grant.data);
    }
    return { ...response, id: replyId };
  });

  ipcMain.on(ipcChannels.cancel, (event, id: unknown) => {
    if (typeof id === 'string' && id.length <= 100) engine.current().cancel(`${event.sender.id}:${id}`);
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
