import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { routeEvent } from '../../shared/contract/event-routing';
import { ipcChannels } from '../../shared/contract/preload-api';
import { isMethod } from '../../shared/contract/requests';
import type { EngineProcess } from './engine-process';
import { isTrustedFrameUrl } from './renderer-location';

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
    const response = (await engine.current().request(`${event.sender.id}:${replyId}`, method, params)) as Record<string, unknown>;
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

function failure(id: string, code: string, message: string): unknown {
  return { type: 'response', id, ok: false, error: { code, message } };
}
