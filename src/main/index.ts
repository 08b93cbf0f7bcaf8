/**
 * Electron main process: windows, menu, security and IPC wiring. Everything with logic lives in
 * the engine (a utility process) or the renderer; this file only connects them.
 */
import { app, BrowserWindow } from 'electron';
import { EngineProcess } from './electron/engine-process';
import { registerIpc } from './electron/ipc';
import { createMainWindow } from './electron/main-window';
import { installMenu } from './electron/menu';
import { registerPickDialogs } from './electron/native-dialogs';
import { hardenApp } from './electron/security';

app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const engine = new EngineProcess();
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  void app.whenReady().then(() => {
    hardenApp();
    registerIpc(engine);
    registerPickDialogs(engine);
    installMenu();
    engine.current();
    createMainWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createMainWindow();
    });
  });
  app.on('window-all-closed', () => {
    engine.stop();
    app.quit();
  });
}
