import { app, Menu } from 'electron';
import { menuTemplate } from './menu-template';

/** Installs the application menu (no developer tools in a packaged build). */
export function installMenu(): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({ packaged: app.isPackaged, platform: process.platform })));
}
