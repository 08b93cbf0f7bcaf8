import { expect, screenshotDir, test } from './serve-fixture';

/**
 * Issue 22 in Chromium on the real engine: on the demo project's Audit screen, Grad-CAM and
 * Gradient (saliency) are compared on Deletion as a job of the Jobs panel; both are ranked with
 * the metric's mean and interval, and a method's audit opens below.
 */
test('compares two methods on the demo dataset and ranks them', async ({ page, lumenUrl }) => {
  test.setTimeout(150_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(lumenUrl);
  await page.getByRole('button', { name: 'Open the demo project' }).click();
  await expect(page.getByRole('grid')).toBeVisible();
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: /^Audit/ }).click();

  const form = page.getByRole('form', { name: 'Compare methods on a dataset' });
  await form.getByRole('checkbox', { name: 'Grad-CAM', exact: true }).check();
  await form.getByRole('checkbox', { name: 'Gradient (saliency)' }).check();
  await form.getByRole('checkbox', { name: 'Deletion' }).check();
  await form.getByRole('button', { name: /^Compare 2 methods on \d+ images$/ }).click();

  // A job of the Jobs panel, as an audit is.
  await expect(page.getByRole('listitem', { name: /^Compare Gradient \(saliency\), Grad-CAM/ })).toBeVisible();

  const ranking = page.getByRole('table', { name: 'Ranking of methods' });
  await expect(ranking).toBeVisible({ timeout: 120_000 });
  await expect(ranking.getByRole('row', { name: 'Grad-CAM' })).toContainText(/\d\.\d+ \[\d\.\d+, \d\.\d+\]/);
  await expect(ranking.getByRole('row', { name: 'Gradient (saliency)' })).toContainText(/\d\.\d+ \[\d\.\d+, \d\.\d+\]/);
  await expect(ranking.getByRole('columnheader', { name: /Deletion/ })).toContainText('↓');
  await page.screenshot({ path: `${screenshotDir}/method-comparison.png` });

  await ranking.getByRole('button', { name: 'Open the audit of Grad-CAM' }).click();
  await expect(page.getByText(/^Audit of run \d+$/)).toBeVisible();
  expect(errors).toEqual([]);
});
