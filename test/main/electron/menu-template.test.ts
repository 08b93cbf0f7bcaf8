import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { menuTemplate } from '../../../src/main/electron/menu-template';

/** Every role in a menu template, submenus included. */
function roles(items: MenuItemConstructorOptions[]): string[] {
  return items.flatMap((i) => [...(i.role ? [i.role] : []), ...(Array.isArray(i.submenu) ? roles(i.submenu) : [])]);
}

describe('the application menu', () => {
  it('has no developer tools in a packaged build, and has them in development', () => {
    expect(roles(menuTemplate({ packaged: true, platform: 'linux' }))).not.toContain('toggleDevTools');
    expect(roles(menuTemplate({ packaged: false, platform: 'linux' }))).toContain('toggleDevTools');
    expect(roles(menuTemplate({ packaged: true, platform: 'linux' }))).toEqual(expect.arrayContaining(['fileMenu', 'editMenu', 'reload', 'zoomIn', 'togglefullscreen', 'windowMenu']));
  });

  it('has the app menu on macOS only', () => {
    expect(roles(menuTemplate({ packaged: true, platform: 'darwin' }))[0]).toBe('appMenu');
    expect(roles(menuTemplate({ packaged: true, platform: 'win32' }))).not.toContain('appMenu');
  });
});
