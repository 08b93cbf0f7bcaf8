import type { Page } from '@playwright/test';
import { expect, screenshotDir, test } from './serve-fixture';

/**
 * Annotations end to end, in Chromium through the bridge: draw a box on a demo image, move it
 * and resize it with the mouse, undo and redo with the keyboard, delete it and undo that, then
 * reload the page and find the box where the last edit left it (read back from the project).
 */

const noteText = 'e2e lesion';

/** The box's stored geometry as drawn (image pixels: the SVG's viewBox units). */
async function boxGeometry(page: Page): Promise<{ x: number; y: number; w: number; h: number }> {
  const rect = page.locator(`g.shape[aria-label="Box: ${noteText}"] rect.line`);
  const [x, y, w, h] = await Promise.all(['x', 'y', 'width', 'height'].map(async (name) => Number(await rect.getAttribute(name))));
  return { x: x!, y: y!, w: w!, h: h! };
}

/** Image pixels per screen pixel, from the layer's on-screen size and its viewBox. */
async function imagePerScreen(page: Page): Promise<number> {
  const svg = page.locator('svg.surface');
  const viewBox = (await svg.getAttribute('viewBox'))!.split(' ').map(Number);
  return viewBox[2]! / (await svg.boundingBox())!.width;
}

async function drag(page: Page, from: { x: number; y: number }, by: { x: number; y: number }): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + by.x, from.y + by.y, { steps: 6 });
  await page.mouse.up();
}

async function openCoffee(page: Page): Promise<void> {
  await page.getByRole('gridcell', { name: /coffee/ }).first().dblclick();
  await expect(page.getByRole('list', { name: 'Predictions' }).locator('li[data-rank="1"] .label')).toHaveText('espresso');
}

test('draw a box, move and resize it, undo and redo with the keyboard, reload and find it', async ({ page, lumenUrl }) => {
  test.setTimeout(120_000);
  // An error in the page (an effect that loops, a handler that throws) fails the test.
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(lumenUrl);
  await page.getByRole('button', { name: 'Open the demo project' }).click();
  await openCoffee(page);

  // Draw, and give it a note (the note field is focused, so Enter saves the note).
  await page.getByRole('button', { name: 'Box', exact: true }).click();
  const viewer = page.getByRole('group', { name: /coffee\.png, zoom and pan/ });
  const view = (await viewer.boundingBox())!;
  await drag(page, { x: view.x + view.width * 0.3, y: view.y + view.height * 0.3 }, { x: view.width * 0.15, y: view.height * 0.12 });
  const note = page.getByRole('textbox', { name: 'Note' });
  await note.fill(noteText);
  await note.press('Enter');
  await expect(page.getByRole('img', { name: `Box: ${noteText}` })).toBeVisible();
  const undo = page.getByRole('button', { name: /^Undo/ });
  const redo = page.getByRole('button', { name: /^Redo/ });
  await expect(undo).toHaveAccessibleName('Undo editing the note of a box');

  // Select it (the tool keeps the new box selected) and drag its inside: it moves.
  await page.getByRole('button', { name: 'Select', exact: true }).click();
  const shape = page.getByRole('button', { name: `Box: ${noteText}` });
  await expect(shape).toHaveAttribute('aria-pressed', 'true');
  const scale = await imagePerScreen(page);
  const drawn = await boxGeometry(page);
  const onScreen = (await shape.locator('rect.line').boundingBox())!;
  await drag(page, { x: onScreen.x + onScreen.width / 2, y: onScreen.y + onScreen.height / 2 }, { x: 40, y: 30 });
  await expect(undo).toHaveAccessibleName('Undo moving a box');
  const moved = await boxGeometry(page);
  expect(moved.x - drawn.x).toBeCloseTo(40 * scale, 0);
  expect(moved.y - drawn.y).toBeCloseTo(30 * scale, 0);
  expect(moved.w).toBeCloseTo(drawn.w, 1);

  // Drag its bottom-right handle: it grows by as much, its top-left corner stays.
  const handle = (await page.locator('[data-handle="se"]').boundingBox())!;
  await drag(page, { x: handle.x + handle.width / 2, y: handle.y + handle.height / 2 }, { x: 50, y: 20 });
  await expect(undo).toHaveAccessibleName('Undo resizing a box');
  const resized = await boxGeometry(page);
  expect(resized.x).toBeCloseTo(moved.x, 1);
  expect(resized.y).toBeCloseTo(moved.y, 1);
  expect(resized.w - moved.w).toBeCloseTo(50 * scale, 0);
  expect(resized.h - moved.h).toBeCloseTo(20 * scale, 0);
  await page.screenshot({ path: `${screenshotDir}/annotations-resized.png` });

  // Ctrl+Z twice: back where it was drawn. Ctrl+Shift+Z and Ctrl+Y: moved, then resized again.
  await page.keyboard.press('Control+z');
  await expect(undo).toHaveAccessibleName('Undo moving a box');
  await expect(redo).toHaveAccessibleName('Redo resizing a box');
  expect(await boxGeometry(page)).toEqual(moved);
  await page.keyboard.press('Control+z');
  await expect(undo).toHaveAccessibleName('Undo editing the note of a box');
  expect(await boxGeometry(page)).toEqual(drawn);
  await page.keyboard.press('Control+Shift+z');
  await expect(undo).toHaveAccessibleName('Undo moving a box');
  expect(await boxGeometry(page)).toEqual(moved);
  await page.keyboard.press('Control+y');
  await expect(undo).toHaveAccessibleName('Undo resizing a box');
  await expect(redo).toHaveAccessibleName('Redo');
  await expect(redo).toBeDisabled();
  expect(await boxGeometry(page)).toEqual(resized);
  await page.screenshot({ path: `${screenshotDir}/annotations-redone.png` });

  // Delete it from the keyboard, and undo that: it is back in the project, as it was.
  await shape.focus();
  await page.keyboard.press('Delete');
  await expect(page.getByRole('button', { name: `Box: ${noteText}` })).toHaveCount(0);
  await expect(undo).toHaveAccessibleName('Undo deleting a box');
  await page.keyboard.press('Control+z');
  await expect(shape).toBeVisible();
  await expect(undo).toHaveAccessibleName('Undo resizing a box');
  expect(await boxGeometry(page)).toEqual(resized);

  // A reload: the project holds the box where the last edit left it, and the history starts afresh.
  await page.reload();
  const openDemo = page.getByRole('button', { name: 'Open the demo project' });
  const restored = page.getByRole('img', { name: `Box: ${noteText}` });
  const coffeeCell = page.getByRole('gridcell', { name: /coffee/ }).first();
  // Wherever the app comes back (Start, the dataset, or the inspector itself), go on to the image.
  await expect(async () => {
    if (await openDemo.isVisible()) await openDemo.click();
    else if (await coffeeCell.isVisible()) await coffeeCell.dblclick();
    await expect(restored).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 60_000 });
  await expect(restored).toBeVisible();
  expect(await boxGeometry(page)).toEqual(resized);
  await expect(page.getByRole('button', { name: /^Undo/ })).toBeDisabled();
  expect(pageErrors).toEqual([]);
});
