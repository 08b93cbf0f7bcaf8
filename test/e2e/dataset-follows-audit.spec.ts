import { expect, screenshotDir, test } from './serve-fixture';

/**
 * Issue 18, item 1, in Chromium on the real engine: an audit started on the Dataset screen fills
 * that screen while it runs and when it finishes (the run in the list, Predicted and Confidence in
 * the table, the run's sort keys), with no reload and no reopening of the project.
 */
test('an audit fills the Dataset screen as it runs, without a reload', async ({ page, lumenUrl }) => {
  test.setTimeout(150_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(lumenUrl);
  await page.getByRole('button', { name: 'Open the demo project' }).click();
  await expect(page.getByRole('grid')).toBeVisible();
  await expect(page.getByText('No audit yet.')).toBeVisible();
  await page.getByRole('button', { name: 'Table' }).click();
  const sortBy = page.getByLabel('Sort by');
  await expect(sortBy.locator('option[value="confidence"]')).toHaveCount(0);
  const coffee = page.getByRole('row', { name: /coffee\.png/ });
  await expect(coffee).toBeVisible();

  const auditForm = page.getByRole('form', { name: 'Audit this dataset' });
  await auditForm.getByRole('combobox', { name: 'Method' }).selectOption({ label: 'Grad-CAM' });
  await auditForm.getByRole('button', { name: /^Audit/ }).click();

  // The run appears and is shown as columns while it runs; then it is done, every row predicted.
  const run = page.getByRole('button', { name: /#\d+ grad-cam/ });
  await expect(run).toHaveAttribute('aria-pressed', 'true', { timeout: 60_000 });
  await expect(page.getByText('No audit yet.')).toHaveCount(0);
  await expect(run).toContainText('done', { timeout: 90_000 });
  await expect(sortBy.locator('option[value="confidence"]')).toHaveCount(1);
  await expect(page.getByRole('columnheader', { name: /Predicted/ })).toBeVisible();
  await expect(coffee).toContainText('espresso');
  await expect(coffee).toContainText('%');
  // The jobs drawer opened with the audit: closed, the table has room for the run's columns.
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: /Jobs/ }).click();
  await coffee.getByText('espresso').last().scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${screenshotDir}/dataset-after-audit.png` });

  // Sorting by the new key works on the rows of the run.
  await sortBy.selectOption('confidence');
  await expect(page.getByRole('columnheader', { name: /Confidence/ })).toHaveAttribute('aria-sort', 'ascending');
  expect(errors).toEqual([]);
});
