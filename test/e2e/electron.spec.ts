import { createRequire } from 'node:module';
import { _electron as electron, expect, test } from '@playwright/test';

/** The Electron binary, or why it is absent (offline installs skip its download). */
function electronBinary(): { path: string } | { reason: string } {
  try {
    const path = createRequire(import.meta.url)('electron') as string;
    return { path };
  } catch {
    return { reason: 'the Electron binary is not installed (offline install skips its download; run `npm run setup:electron` online)' };
  }
}

const found = electronBinary();
const noDisplay = process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY'];

test.describe('the Electron app', () => {
  test.skip('reason' in found, 'reason' in found ? found.reason : '');
  test.skip(!('reason' in found) && noDisplay, 'there is no display (run under xvfb-run)');

  test('opens the workstation window and classifies a sample through IPC and the utility process', async () => {
    const app = await electron.launch({ args: ['.'], executablePath: 'path' in found ? found.path : undefined });
    const window = await app.firstWindow();
    await expect(window).toHaveTitle('Lumen');
    // No Node in the page (sandbox on, nodeIntegration off) and only the typed API from the preload.
    const page = await window.evaluate(() => {
      const w = window as unknown as { require?: unknown; process?: unknown; lumen?: Record<string, unknown> };
      return { require: typeof w.require, process: typeof w.process, api: Object.keys(w.lumen ?? {}).sort() };
    });
    expect(page).toEqual({ require: 'undefined', process: 'undefined', api: ['cancel', 'onEvent', 'request'] });
    await window.getByRole('button', { name: 'Tabby cat "Chelsea"' }).click();
    await expect(window.getByRole('list', { name: 'Predictions' }).locator('li[data-rank="1"] .label')).toHaveText('tiger cat');
    await window.screenshot({ path: 'test-results/screenshots/electron-classify.png' });
    await app.close();
  });
});
