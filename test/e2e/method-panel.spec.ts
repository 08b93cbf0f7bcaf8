import type { Page } from '@playwright/test';
import { decodeFrame } from '../../src/shared/contract/wire';
import { expect, screenshotDir, test } from './serve-fixture';
import { collectErrors } from './page-errors';

/**
 * The inspector's method panel in Chromium through the loopback bridge, on the bundled MobileNetV2:
 * the Explain button is in view without scrolling at laptop sizes whatever the method's form, and
 * the layer picker changes the layer Grad-CAM reads (the engine's own answer says so).
 */

async function openSample(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: 'Espresso cup' }).click();
  await expect(page.getByRole('list', { name: 'Predictions' }).locator('li')).not.toHaveCount(0);
  if (!(await page.getByRole('combobox', { name: 'Method', exact: true }).isVisible())) await page.getByRole('button', { name: 'Inspector', exact: true }).click();
  await expect(page.getByRole('combobox', { name: 'Method', exact: true })).toBeVisible();
}

/** Whether the button lies inside the window and is what a click at its centre would hit. */
async function reachable(page: Page, name: string): Promise<{ inside: boolean; onTop: boolean; bottom: number }> {
  const button = page.getByRole('button', { name, exact: true });
  const box = (await button.boundingBox())!;
  const viewport = page.viewportSize()!;
  const inside = box.y >= 0 && box.x >= 0 && box.y + box.height <= viewport.height && box.x + box.width <= viewport.width;
  const onTop = await button.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return hit !== null && (hit === el || el.contains(hit));
  });
  return { inside, onTop, bottom: box.y + box.height };
}

/** Every attribution result the engine sent the page (decoded from the bridge's frames). */
function attributionResults(page: Page): Array<{ method: string; params: Record<string, unknown>; figures: Record<string, number> }> {
  const results: Array<{ method: string; params: Record<string, unknown>; figures: Record<string, number> }> = [];
  const visit = (v: unknown): void => {
    if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v)) return;
    const o = v as Record<string, unknown>;
    if (typeof o['method'] === 'string' && typeof o['figures'] === 'object' && typeof o['params'] === 'object' && 'timings' in o) {
      results.push(o as never);
      return;
    }
    for (const c of Object.values(o)) visit(c);
  };
  page.on('websocket', (socket) =>
    socket.on('framereceived', ({ payload }) => {
      try {
        visit(decodeFrame(typeof payload === 'string' ? payload : new Uint8Array(payload)));
      } catch {
        // Not a frame of the contract (none are expected).
      }
    }),
  );
  return results;
}

for (const size of [
  { width: 1440, height: 900 },
  { width: 1280, height: 720 },
]) {
  test(`the Explain button is in view without scrolling at ${size.width}x${size.height}, for the longest forms too`, async ({ page, lumenUrl }) => {
    const errors = collectErrors(page);
    await page.setViewportSize(size);
    await openSample(page, lumenUrl);
    for (const method of ['Grad-CAM', 'Integrated Gradients', 'XRAI', 'LRP composite', 'LIME']) {
      await page.getByRole('combobox', { name: 'Method', exact: true }).selectOption({ label: method });
      for (const name of ['Explain', 'Add to comparison']) {
        const where = await reachable(page, name);
        expect(where, `${name} for ${method} at ${size.width}x${size.height} (bottom ${where.bottom})`).toMatchObject({ inside: true, onTop: true });
      }
      expect(await page.evaluate(() => window.scrollY)).toBe(0);
    }
    await page.screenshot({ path: `${screenshotDir}/method-panel-${size.width}x${size.height}.png` });
    // XRAI: the area is the slider under the image only (issue 18 item 14).
    await page.getByRole('combobox', { name: 'Method', exact: true }).selectOption({ label: 'XRAI' });
    await expect(page.getByLabel('Area threshold')).toHaveCount(0);
    expect(errors).toEqual([]);
  });
}

test('picking a layer in the picker changes the layer Grad-CAM reads; picking the explanation again brings the layer back', async ({ page, lumenUrl }) => {
  test.setTimeout(120_000);
  const errors = collectErrors(page);
  const results = attributionResults(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await openSample(page, lumenUrl);
  await page.getByRole('combobox', { name: 'Method', exact: true }).selectOption({ label: 'Grad-CAM' });
  const picker = page.getByRole('combobox', { name: 'Layer', exact: true });
  // The default: MobileNetV2's last map, 1280 x 7 x 7, shortened and marked.
  await expect(picker).toHaveValue('Conv_1_Relu6 (Clip)');
  const chosen = page.locator('.layer-picker .chosen');
  await expect(chosen).toHaveText('Clip [1280, 7, 7] · default');

  const list = page.getByRole('list', { name: 'Explanations of this image' });
  await page.getByRole('button', { name: 'Explain', exact: true }).click();
  await expect(list.locator('li')).toHaveCount(1, { timeout: 45_000 });
  await expect.poll(() => results.length).toBe(1);
  expect(results[0]).toMatchObject({ method: 'grad-cam', figures: { layerChannels: 1280 } });

  // Type to filter, arrows and Enter to pick: block 6's depthwise activation, 192 x 14 x 14.
  await picker.click();
  await expect(page.getByRole('listbox', { name: 'Layers' })).toBeVisible();
  await picker.fill('conv_6_depthwise');
  const options = page.getByRole('listbox', { name: 'Layers' }).getByRole('option');
  await expect(options).toHaveCount(2);
  await page.screenshot({ path: `${screenshotDir}/layer-picker.png` });
  await picker.press('ArrowDown');
  await picker.press('Enter');
  await expect(picker).toHaveValue('expanded_conv_6_depthwise_Relu6 (Clip)');
  await expect(chosen).toHaveText('Clip [192, 14, 14]');
  await page.getByRole('button', { name: 'Explain', exact: true }).click();
  await expect(list.locator('li')).toHaveCount(2, { timeout: 45_000 });
  await expect.poll(() => results.length).toBe(2);
  expect(results[1]!.method).toBe('grad-cam');
  expect(results[1]!.params['layer']).toMatch(/^MobilenetV2_expanded_conv_6_depthwise_Relu6;.*_act_\d+$/);
  expect(results[1]!.figures['layerChannels']).toBe(192);

  // The first explanation picked from the list puts its (default) layer back in the form.
  await list.getByRole('button', { name: /^Grad-CAM/ }).first().click();
  await expect(picker).toHaveValue('Conv_1_Relu6 (Clip)');
  await list.getByRole('button', { name: /^Grad-CAM/ }).nth(1).click();
  await expect(picker).toHaveValue('expanded_conv_6_depthwise_Relu6 (Clip)');
  // Explain recomputes nothing: that explanation is already there.
  await page.getByRole('button', { name: 'Explain', exact: true }).click();
  await expect(list.locator('li')).toHaveCount(2);
  expect(results).toHaveLength(2);
  expect(errors).toEqual([]);
});
