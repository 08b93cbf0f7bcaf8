/**
 * The preload script (sandboxed, context-isolated): it exposes the typed engine API as
 * `window.lumen` and nothing else. No Node, no raw ipcRenderer reaches the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { PickResult } from '../shared/contract/native-picks';
import { ipcChannels, type PreloadApi } from '../shared/contract/preload-api';
import { methodNames, type Method } from '../shared/contract/requests';

const request = Object.fromEntries(
  methodNames.map((method) => [method, (id: string, params: unknown) => ipcRenderer.invoke(ipcChannels.request, id, method, params)]),
) as Record<Method, (id: string, params: unknown) => Promise<unknown>>;

const api: PreloadApi = {
  request,
  cancel: (id) => ipcRenderer.send(ipcChannels.cancel, id),
  onEvent: (listener) => {
    const handler = (_event: IpcRendererEvent, message: unknown): void => listener(message);
    ipcRenderer.on(ipcChannels.event, handler);
    return () => ipcRenderer.removeListener(ipcChannels.event, handler);
  },
  pick: (request) => ipcRenderer.invoke(ipcChannels.pick, request) as Promise<PickResult>,
};

contextBridge.exposeInMainWorld('lumen', api);
