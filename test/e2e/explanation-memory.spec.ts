import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { largeMapModelBytes } from './large-map-model';
import { expect, screenshotDir, serveOnHome, test } from './serve-fixture';

/**
 * Explanations survive leaving an image and restarting, in Chromium through the loopback bridge:
 * explained on a demo project image, gone while another image is open, back on returning; after
 * the engine is stopped and started again (same Lumen home, so the same demo project) the project
 * gives them back, not stale; after another model is opened they are marked stale, with why.
 */

const list = (page: Page) => page.getByRole('list', { name: 'Explanations of this image' });

/** The demo project's image `name` in the inspector; `start`: the page has just loaded (open the project first). */
async function openDemoImage(page: Page, name: RegExp, start = false): Promise<void> {
  if (start) {
    // A reload may go straight back to where the user was; otherwise the Start screen offers the demo.
    const demo = page.getByRole('button', { name: 'Open the demo project' });
    await expect(demo.or(page.getByRole('list', { name: 'Predictions' }))).toBeVisible({ timeout: 60_000 });
    if (await demo.isVisible()) await demo.click();
  }
  await page.getByRole('button', { name: /^Dataset/ }).click();
  await page.getByRole('gridcell', { name }).first().dblclick();
  await expect(page.getByRole('list', { name: 'Predictions' })).toBeVisible({ timeout: 30_000 });
}

test('explanations come back after leaving the image and after a restart, and are stale once another model is open', async ({ context }) => {
  test.setTimeout(400_000);
  const errors: string[] = [];
  let page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  const home = mkdtempSync(join(tmpdir(), 'lumen-e2e-home-'));

  let lumen = await serveOnHome(home);
  try {
    await page.goto(lumen.url);
    await openDemoImage(page, /coffee/, true);
    await page.getByRole('combobox', { name: 'Method', exact: true }).selectOption({ label: 'Grad-CAM' });
    await page.getByRole('button', { name: 'Explain', exact: true }).click();
    await expect(list(page).locator('li')).toHaveCount(1, { timeout: 150_000 });

    // Another image has none of its own; returning brings Grad-CAM back, shown, not computed again.
    await openDemoImage(page, /rocket/);
    await expect(list(page)).toHaveCount(0);
    await openDemoImage(page, /coffee/);
    await expect(list(page).locator('li')).toHaveCount(1);
    await expect(list(page).getByRole('button', { name: /Grad-CAM → espresso/ })).toHaveAttribute('aria-pressed', 'true');
    await expect(page.locator('.overlay canvas').first()).toBeVisible();
    await page.screenshot({ path: `${screenshotDir}/explanations-back.png` });
  } finally {
    await page.close();
    await lumen.stop();
  }

  // A restart: a new engine on the same Lumen home, a new window.
  lumen = await serveOnHome(home);
  page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(lumen.url);
    await openDemoImage(page, /coffee/, true);
    await expect(list(page).locator('li')).toHaveCount(1);
    await expect(list(page).getByRole('button', { name: /Grad-CAM → espresso/ })).toBeVisible();
    await expect(list(page).getByText('stale', { exact: true })).toHaveCount(0);
    await expect(page.locator('.overlay canvas').first()).toBeVisible();
    await page.screenshot({ path: `${screenshotDir}/explanations-after-restart.png` });

    // Another model: the stored explanation is stale, says which model made it, offers to recompute.
    await page.getByRole('button', { name: /^Models/ }).click();
    await page.getByLabel('Add an ONNX model…').setInputFiles({ name: 'rings-224.onnx', mimeType: 'application/octet-stream', buffer: Buffer.from(largeMapModelBytes(224)) });
    await expect(page.getByText('rings-224.onnx').first()).toBeVisible({ timeout: 30_000 });
    await openDemoImage(page, /coffee/);
    await expect(list(page).getByText('stale', { exact: true })).toBeVisible();
    await expect(list(page)).toContainText(/Made with another model, [^ ]+\.onnx \(sha [0-9a-f]{12}\)/);
    await expect(list(page).getByRole('button', { name: 'Recompute Grad-CAM' })).toBeVisible();
    // The map on screen says so too, next to its name.
    await expect(page.getByText('stale: see Explanations')).toBeVisible();
    await list(page).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${screenshotDir}/explanations-stale.png` });
  } finally {
    await lumen.stop();
  }
  expect(errors).toEqual([]);
});
