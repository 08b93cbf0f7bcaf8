import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { collectErrors } from './page-errors';
import { expect, screenshotDir, serveOnHome, test } from './serve-fixture';

/**
 * A vision transformer in the workstation, in Chromium through the loopback bridge: the seeded
 * DeiT-like fixture (tools/fixtures/make_transformer_fixtures.py) is added as the model, and its
 * attention methods are offered in the method picker under their family, explained and added to
 * the comparison like any other method, serve as XRAI's base (its area slider included), are
 * compared side by side, and put in a report.
 */

const attentionMethods = ['Attention rollout', 'Generic attention (gradient-weighted)', 'Transformer attribution (LRP-weighted attention)'];
const explanations = (page: Page) => page.getByRole('list', { name: 'Explanations of this image' });

async function addToComparison(page: Page, method: string): Promise<void> {
  await page.getByRole('combobox', { name: 'Method', exact: true }).selectOption({ label: method });
  const before = await explanations(page).locator('li').count().catch(() => 0);
  await page.getByRole('button', { name: 'Add to comparison', exact: true }).click();
  await expect(explanations(page).locator('li')).toHaveCount(before + 1, { timeout: 120_000 });
}

test('a vision transformer: attention methods in the picker, as XRAI\'s base, in the comparison and the report', async ({ page }) => {
  test.setTimeout(600_000);
  const errors = collectErrors(page);
  const lumen = await serveOnHome(mkdtempSync(join(tmpdir(), 'lumen-e2e-home-')));
  try {
    await page.goto(lumen.url);
    await page.getByRole('button', { name: 'Open the demo project' }).click();
    await expect(page.getByRole('grid')).toBeVisible({ timeout: 60_000 });
    await page.getByRole('button', { name: /^Models/ }).click();
    const model = readFileSync('test/fixtures/transformers/deit/model_opset17.onnx');
    await page.getByLabel('Add an ONNX model…').setInputFiles({ name: 'deit-tiny.onnx', mimeType: 'application/octet-stream', buffer: model });
    await expect(page.getByText('deit-tiny.onnx').first()).toBeVisible({ timeout: 30_000 });

    await page.getByRole('button', { name: /^Dataset/ }).click();
    await page.getByRole('gridcell', { name: /coffee/ }).first().dblclick();
    await expect(page.getByRole('list', { name: 'Predictions' })).toBeVisible({ timeout: 30_000 });
    if (!(await page.getByRole('combobox', { name: 'Method', exact: true }).isVisible())) await page.getByRole('button', { name: 'Inspector', exact: true }).click();

    // The picker: the attention family, every method of it.
    const picker = page.getByRole('combobox', { name: 'Method', exact: true });
    const group = picker.locator('optgroup[label="attention"] option');
    await expect(group).toHaveText(attentionMethods);

    // Explained and kept like any method: rollout, then generic attention and Grad-CAM on the token grid.
    for (const method of ['Attention rollout', 'Generic attention (gradient-weighted)', 'Grad-CAM']) await addToComparison(page, method);
    await expect(explanations(page).getByRole('button', { name: /^Attention rollout → class/ })).toBeVisible();
    await expect(page.locator('.overlay canvas').first()).toBeVisible();
    await page.screenshot({ path: `${screenshotDir}/transformer-inspector.png` });

    // XRAI with attention rollout as its base: the regions come, and the area slider picks among them.
    await page.getByRole('combobox', { name: 'Method', exact: true }).selectOption({ label: 'XRAI' });
    await page.getByLabel('Base', { exact: true }).fill('attention-rollout');
    await page.getByRole('button', { name: 'Explain', exact: true }).click();
    const regions = page.locator('section[aria-labelledby="xrai-title"]');
    await expect(regions).toBeVisible({ timeout: 120_000 });
    const slider = page.getByRole('slider', { name: 'Highlighted area' });
    await slider.fill('5');
    const few = Number(await regions.getAttribute('data-highlighted-regions'));
    await slider.fill('60');
    await expect.poll(async () => Number(await regions.getAttribute('data-highlighted-regions'))).toBeGreaterThan(few);
    await page.screenshot({ path: `${screenshotDir}/transformer-xrai-rollout.png` });

    // Compared side by side, with a difference between two of them.
    await page.getByRole('button', { name: /^Compare/ }).click();
    await expect(page.getByRole('figure', { name: /panel$/ })).toHaveCount(3, { timeout: 30_000 });
    await page.getByRole('combobox', { name: 'Difference between (A)' }).selectOption({ label: 'Attention rollout' });
    await page.getByRole('combobox', { name: 'Difference between (B)' }).selectOption({ label: 'Grad-CAM' });
    await expect(page.getByRole('figure', { name: /panel$/ })).toHaveCount(4);
    await page.screenshot({ path: `${screenshotDir}/transformer-compare.png` });

    // In a report: the attention methods are offered, and the chosen one is in the preview.
    await page.getByRole('button', { name: 'Inspector', exact: true }).click();
    await page.getByRole('button', { name: 'Add to report' }).click();
    await page.getByRole('button', { name: 'Report', exact: true }).click();
    const builder = page.getByRole('form', { name: 'Report' });
    const methods = builder.getByRole('list', { name: 'Methods' });
    for (const method of attentionMethods) await expect(methods.getByRole('checkbox', { name: method, exact: true })).toBeVisible();
    await methods.getByRole('checkbox', { name: 'Attention rollout', exact: true }).check();
    await builder.getByLabel('Title').fill('DeiT attention');
    const preview = page.frameLocator('iframe[title="Report preview"]');
    await expect(preview.getByRole('heading', { name: 'DeiT attention' })).toBeVisible({ timeout: 120_000 });
    await expect(preview.getByText('Attention rollout').first()).toBeVisible({ timeout: 120_000 });
    await page.screenshot({ path: `${screenshotDir}/transformer-report.png` });
  } finally {
    await lumen.stop();
  }
  expect(errors).toEqual([]);
});
