import { BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { PickRequest, type PickResult } from '../../shared/contract/native-picks';
import { ipcChannels } from '../../shared/contract/preload-api';
import { describeZodError } from '../../shared/errors';
import type { EngineProcess } from './engine-process';
import { grantsForPick, pickDialogs, type PickDialog } from './pick-grants';
import { isTrustedFrameUrl } from './renderer-location';

/**
 * The app's native file and folder dialogs, asked for by the page (`window.lumen.pick`). The
 * picked path is granted to the engine (allow-path, with the access pickDialogs gives it) before
 * the answer goes back, so the request the page then makes with it finds the engine ready.
 */
export function registerPickDialogs(engine: EngineProcess): void {
  ipcMain.handle(ipcChannels.pick, async (event: IpcMainInvokeEvent, request: unknown): Promise<PickResult> => {
    if (!event.senderFrame || !isTrustedFrameUrl(event.senderFrame.url)) {
      return { ok: false, error: { code: 'invalid-request', message: 'Dialogs are only opened for Lumen’s own window.' } };
    }
    const parsed = PickRequest.safeParse(request);
    if (!parsed.success) return { ok: false, error: { code: 'invalid-request', message: `Invalid dialog request: ${describeZodError(parsed.error)}.` } };
    const { kind } = parsed.data;
    const picked = await show(BrowserWindow.fromWebContents(event.sender), pickDialogs[kind]);
    const grants = grantsForPick(kind, picked);
    for (const grant of grants) engine.grant(grant);
    return { ok: true, paths: grants.map((g) => g.path) };
  });
}

/** Shows the dialog (sheet of the asking window where there is one); the paths picked, or none. */
async function show(window: BrowserWindow | null, options: PickDialog): Promise<string[]> {
  if (options.dialog === 'save') {
    const shown = { title: options.title, filters: options.filters, properties: ['createDirectory' as const, 'showOverwriteConfirmation' as const] };
    const result = window ? await dialog.showSaveDialog(window, shown) : await dialog.showSaveDialog(shown);
    return result.canceled || !result.filePath ? [] : [result.filePath];
  }
  const shown = { title: options.title, filters: options.filters, properties: options.properties };
  const result = window ? await dialog.showOpenDialog(window, shown) : await dialog.showOpenDialog(shown);
  return result.canceled ? [] : result.filePaths;
}
