import { app, session, shell } from 'electron';
import { contentSecurityPolicy } from '../bridge/content-security-policy';
import { isAllowedExternalUrl } from './external-links';

/**
 * Electron's security checklist, applied once: no permissions (neither granted on request nor
 * reported as granted when a page checks), no navigation away from the app, no new windows, no
 * webviews, the renderer's CSP on every response, and only documentation links opened outside.
 */
export function hardenApp(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy] } });
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // Documentation links open in the user's browser; nothing opens inside Lumen.
      if (isAllowedExternalUrl(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}
