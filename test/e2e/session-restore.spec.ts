import type { Page } from '@playwright/test';
import { expect, screenshotDir, test } from './serve-fixture';
import { collectErrors } from './page-errors';

/**
 * A reload comes back to where the user was (issue 18, item 4): the project, the screen, the
 * image and the theme, from the record the page keeps in localStorage; a damaged record or a
 * project that is gone starts at Start, the latter with a notice. And views of the project follow
 * the engine (item 1): an audit started on the Dataset screen fills its columns there, no reload.
 */

const theme = (page: Page): Promise<string | undefined> => page.evaluate(() => document.documentElement.dataset['theme']);
const current = (page: Page) => page.getByRole('navigation', { name: 'Screens' }).locator('[aria-current="page"]');
const top = (page: Page) => page.getByRole('list', { name: 'Predictions' }).locator('li[data-rank="1"] .label');

test('a reload restores the project, the screen, the image and the theme', async ({ page, lumenUrl }) => {
  test.setTimeout(120_000);
  const errors = collectErrors(page);
  await page.goto(lumenUrl);
  await page.getByRole('button', { name: 'Open the demo project' }).click();
  await page.getByRole('gridcell', { name: /coffee/ }).first().dblclick();
  await expect(top(page)).toHaveText('espresso');
  const before = await theme(page);
  await page.getByRole('button', { name: 'Switch between light and dark theme' }).click();
  const chosen = await theme(page);
  expect(chosen).not.toBe(before);

  await page.reload();
  await expect(top(page)).toHaveText('espresso', { timeout: 30_000 });
  await expect(current(page)).toContainText('Inspector');
  await expect(page.locator('header .project')).toHaveText('demo-project');
  expect(await theme(page)).toBe(chosen);
  await page.screenshot({ path: `${screenshotDir}/reload-inspector.png` });

  // Another screen of the same project, another reload.
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: /Dataset/ }).click();
  await expect(page.getByRole('grid')).toBeVisible();
  await page.reload();
  await expect(page.getByRole('grid')).toBeVisible({ timeout: 30_000 });
  await expect(current(page)).toContainText('Dataset');
  await expect(page.getByRole('button', { name: /samples/ })).toHaveAttribute('aria-pressed', 'true');
  expect(await theme(page)).toBe(chosen);
  await page.screenshot({ path: `${screenshotDir}/reload-dataset.png` });
  expect(errors).toEqual([]);
});

test('a damaged record starts at Start; a project that is gone says so', async ({ page, lumenUrl }) => {
  test.setTimeout(60_000);
  const errors = collectErrors(page);
  await page.goto(lumenUrl);
  await expect(page.getByRole('button', { name: 'Open the demo project' })).toBeVisible();
  await page.evaluate(() => localStorage.setItem('lumen.session', '{"version":1,"screen":'));
  await page.reload();
  await expect(page.getByRole('button', { name: 'Open the demo project' })).toBeVisible({ timeout: 30_000 });
  await expect(current(page)).toContainText('Start');

  await page.evaluate(() => localStorage.setItem('lumen.session', JSON.stringify({ version: 1, theme: 'light', screen: 'dataset', project: '/nowhere/lumen-moved-project', dataset: 'scans' })));
  await page.reload();
  await expect(page.getByRole('status').filter({ hasText: 'The last project (/nowhere/lumen-moved-project) could not be reopened' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('button', { name: 'Open the demo project' })).toBeVisible();
  expect(await theme(page)).toBe('light');
  await page.screenshot({ path: `${screenshotDir}/reload-project-gone.png` });
  expect(errors).toEqual([]);
});
