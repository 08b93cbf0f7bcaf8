import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { routeEvent } from '../../shared/contract/event-routing';
import { ipcChannels } from '../../shared/contract/preload-api';
import type { EngineProcess } from './engine-process';
import { isTrustedFrameUrl } from './renderer-location';
import { AllowPathMessage } from '../engine-host/allow-path';
import { checkIpcRequest } from './ipc-request';
import { callEngine } from './engine-call';
import { answerPdfRequest } from './pdf-requests';
import { printHtmlToPdf } from './print-to-pdf';

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
    // PDF reports: the engine builds the HTML, Electron's Chromium prints it (no separate browser needed).
    const pdf = answerPdfRequest(checked, {
      renderHtml: (spec) => callEngine(engine.current(), requestId, 'report.render', { spec, format: 'html' }),
      print: printHtmlToPdf,
      // Where the page may write: a file picked in the save dialog, or inside a project it opened.
      confine: (out) => engine.grants.roots.writable(out, 'The report file'),
    });
    if (pdf) return pdf;
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

function failure(id: string, code: string, message: string): unknown {
  return { type: 'response', id, ok: false, error: { code, message } };
}
