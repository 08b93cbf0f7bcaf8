import { expect, type Page } from '@playwright/test';

/**
 * Draws a box with a note over the inspected image (from 40 %, 35 % to 55 %, 50 % of the viewer),
 * the way a user does: the Box tool, a mouse drag, the note typed and Enter; back to Pan after.
 */
export async function drawBox(page: Page, image: RegExp, text: string): Promise<void> {
  await page.getByRole('button', { name: 'Box', exact: true }).click();
  const box = (await page.getByRole('group', { name: image }).boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.35);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.5, { steps: 5 });
  await page.mouse.up();
  const note = page.getByRole('textbox', { name: 'Note' });
  await note.fill(text);
  await note.press('Enter');
  await expect(page.getByRole('img', { name: `Box: ${text}` })).toBeVisible();
  await page.getByRole('button', { name: 'Pan', exact: true }).click();
}
