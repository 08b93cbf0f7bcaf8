import type { Locator, Page } from '@playwright/test';
import { expect, screenshotDir, test } from './serve-fixture';

/**
 * The compare screen's layout with four panels (three methods and their difference), at 1440×900
 * and 1024×768: captions stay on one line (ellipsis, the whole in the tooltip), every image in a
 * row of panels has the same top edge and size, each figure is a row of its own, and the shared
 * crosshair marks the same image pixel in every panel, zoomed and panned or not.
 */

async function openDemoImage(page: Page, url: string, name: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: 'Open the demo project' }).click();
  await expect(page.getByRole('grid')).toBeVisible();
  await page.getByRole('gridcell', { name: new RegExp(name) }).first().dblclick();
  await expect(page.getByRole('list', { name: 'Predictions' })).toBeVisible();
}

async function addToComparison(page: Page, method: string): Promise<void> {
  await page.getByRole('combobox', { name: 'Method', exact: true }).selectOption({ label: method });
  const list = page.getByRole('list', { name: 'Explanations of this image' });
  const before = await list.locator('li').count().catch(() => 0);
  await page.getByRole('button', { name: 'Add to comparison', exact: true }).click();
  await expect(list.locator('li')).toHaveCount(before + 1, { timeout: 200_000 });
}

interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

const rectOf = (l: Locator): Promise<Rect> => l.evaluate((el) => {
  const r = el.getBoundingClientRect();
  return { left: r.left, top: r.top, width: r.width, height: r.height };
});

/** The image pixel under the panel's crosshair: its centre against the drawn preview image. */
async function crosshairPixel(panel: Locator): Promise<{ x: number; y: number; reportedX: number; reportedY: number }> {
  return panel.evaluate((fig) => {
    const img = fig.querySelector('.clip img, .clip canvas') as HTMLImageElement | HTMLCanvasElement;
    const cursor = fig.querySelector('.cursor') as HTMLElement;
    const i = img.getBoundingClientRect();
    const c = cursor.getBoundingClientRect();
    const width = Number(img.getAttribute('width'));
    const height = Number(img.getAttribute('height'));
    return {
      x: ((c.left - i.left) / i.width) * width,
      y: ((c.top - i.top) / i.height) * height,
      reportedX: Number(cursor.dataset['imageX']),
      reportedY: Number(cursor.dataset['imageY']),
    };
  });
}

async function checkLayout(page: Page, label: string): Promise<void> {
  const panels = page.getByRole('figure', { name: /panel$/ });
  await expect(panels).toHaveCount(4);
  const count = await panels.count();

  // One row of four: same top, same height; images with the same top edge and size.
  const boxes = await Promise.all(Array.from({ length: count }, (_, i) => rectOf(panels.nth(i))));
  const images = await Promise.all(Array.from({ length: count }, (_, i) => rectOf(panels.nth(i).locator('.clip img').first())));
  for (const [i, b] of boxes.entries()) {
    expect(Math.abs(b.top - boxes[0]!.top), `${label}: panel ${i} top`).toBeLessThan(0.5);
    expect(Math.abs(b.height - boxes[0]!.height), `${label}: panel ${i} height`).toBeLessThan(0.5);
    expect(Math.abs(images[i]!.top - images[0]!.top), `${label}: image ${i} top edge`).toBeLessThan(0.5);
    expect(Math.abs(images[i]!.height - images[0]!.height), `${label}: image ${i} height`).toBeLessThan(0.5);
  }

  // Captions: one line each, cut with an ellipsis; the whole caption in the tooltip.
  for (let i = 0; i < count; i++) {
    const caption = panels.nth(i).locator(':scope > figcaption');
    const lines = await caption.evaluate((el) => ({ height: el.getBoundingClientRect().height, lineHeight: parseFloat(getComputedStyle(el).lineHeight), wraps: el.scrollHeight > el.clientHeight + 1 }));
    expect(lines.wraps, `${label}: caption ${i} wraps`).toBe(false);
    expect(lines.height, `${label}: caption ${i} height`).toBeLessThanOrEqual(lines.lineHeight + 0.5);
    const text = (await caption.textContent())!.replace(/\s+/g, ' ').trim();
    expect(await caption.getAttribute('title')).toBe(text);
  }
  const difference = page.getByRole('figure', { name: 'Difference panel' });
  await expect(difference.locator(':scope > figcaption')).toHaveAttribute('title', 'Difference Grad-CAM − Integrated Gradients');

  // Figures: one per row, name and value on that row, rows not overlapping.
  for (let i = 0; i < count; i++) {
    const rows = panels.nth(i).locator('dl .row');
    const rects = await Promise.all(Array.from({ length: await rows.count() }, (_, k) => rectOf(rows.nth(k))));
    for (let k = 1; k < rects.length; k++) expect(rects[k]!.top, `${label}: panel ${i} row ${k}`).toBeGreaterThanOrEqual(rects[k - 1]!.top + rects[k - 1]!.height - 0.5);
    for (let k = 0; k < rects.length; k++) {
      const [dt, dd] = await Promise.all([rectOf(rows.nth(k).locator('dt')), rectOf(rows.nth(k).locator('dd'))]);
      expect(Math.abs(dt.top - dd.top), `${label}: panel ${i} row ${k} on one line`).toBeLessThan(2);
      expect(dt.left + dt.width, `${label}: panel ${i} row ${k} name before value`).toBeLessThanOrEqual(dd.left + 0.5);
    }
  }
  const ig = page.getByRole('figure', { name: 'Integrated Gradients panel' });
  const completeness = await rectOf(ig.locator('.row', { hasText: 'Completeness error' }));
  const time = await rectOf(ig.locator('.row', { hasText: 'Time' }));
  expect(time.top, `${label}: time below completeness`).toBeGreaterThanOrEqual(completeness.top + completeness.height - 0.5);
  await expect(ig.locator('.row', { hasText: 'Completeness error' }).locator('dd')).toContainText('of f(x) − f(baseline)');

  // The crosshair: hover a point of the first panel's image; every panel marks the same pixel.
  const views = page.getByRole('group', { name: /panel$/ });
  const hovered = images[0]!;
  const target = { x: 0.37, y: 0.61 };
  await page.mouse.move(hovered.left + target.x * hovered.width, hovered.top + target.y * hovered.height);
  await expect(panels.first().locator('.cursor')).toHaveCount(1);
  const width = Number(await panels.first().locator('.clip img').first().getAttribute('width'));
  const height = Number(await panels.first().locator('.clip img').first().getAttribute('height'));
  for (let i = 0; i < count; i++) {
    await expect(panels.nth(i).locator('.cursor')).toHaveCount(1);
    const p = await crosshairPixel(panels.nth(i));
    expect(Math.abs(p.x - target.x * width), `${label}: panel ${i} crosshair x`).toBeLessThan(0.5);
    expect(Math.abs(p.y - target.y * height), `${label}: panel ${i} crosshair y`).toBeLessThan(0.5);
    expect(Math.abs(p.x - p.reportedX), `${label}: panel ${i} drawn where it says`).toBeLessThan(0.5);
    expect(Math.abs(p.y - p.reportedY), `${label}: panel ${i} drawn where it says`).toBeLessThan(0.5);
  }
  await page.screenshot({ path: `${screenshotDir}/compare-layout-${label}.png` });

  // Zoomed and panned (shared by all panels): still the same pixel everywhere.
  await views.nth(2).focus();
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowUp');
  const zoomed = await rectOf(panels.nth(2).locator('.clip img').first());
  const view2 = await rectOf(views.nth(2));
  // A point inside both the zoomed image and the view.
  const mx = Math.max(zoomed.left, view2.left) + 0.5 * (Math.min(zoomed.left + zoomed.width, view2.left + view2.width) - Math.max(zoomed.left, view2.left));
  const my = Math.max(zoomed.top, view2.top) + 0.5 * (Math.min(zoomed.top + zoomed.height, view2.top + view2.height) - Math.max(zoomed.top, view2.top));
  await page.mouse.move(mx, my);
  const expected = { x: ((mx - zoomed.left) / zoomed.width) * width, y: ((my - zoomed.top) / zoomed.height) * height };
  for (let i = 0; i < count; i++) {
    await expect(views.nth(i)).toHaveAttribute('data-zoom', '1.563');
    const p = await crosshairPixel(panels.nth(i));
    expect(Math.abs(p.x - expected.x), `${label} zoomed: panel ${i} crosshair x`).toBeLessThan(0.5);
    expect(Math.abs(p.y - expected.y), `${label} zoomed: panel ${i} crosshair y`).toBeLessThan(0.5);
  }
  await page.screenshot({ path: `${screenshotDir}/compare-layout-${label}-zoomed.png` });
  await views.nth(2).focus();
  await page.keyboard.press('0');
  await page.mouse.move(0, 0);
}

test('compare: one-line captions, aligned images and figure rows, one crosshair pixel in every panel', async ({ page, lumenUrl }) => {
  test.setTimeout(900_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1440, height: 900 });
  await openDemoImage(page, lumenUrl, 'coffee');
  for (const method of ['Grad-CAM', 'Integrated Gradients', 'Gradient × input']) await addToComparison(page, method);
  await page.getByRole('button', { name: /^Compare/ }).click();
  await page.getByRole('combobox', { name: 'Difference between (A)' }).selectOption({ label: 'Grad-CAM' });
  await page.getByRole('combobox', { name: 'Difference between (B)' }).selectOption({ label: 'Integrated Gradients' });

  await checkLayout(page, '1440x900');
  await page.setViewportSize({ width: 1024, height: 768 });
  await checkLayout(page, '1024x768');
  expect(errors).toEqual([]);
});
