import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, screenshotDir, test } from './serve-fixture';

/**
 * The dataset import dialog through the browser door: a CSV of labels with a bad row is previewed
 * (the counts and the bad row with its file and line, nothing written), and Confirm imports the
 * good rows. The paths are typed, as in any browser; the engine confines them.
 */
test('a CSV with a bad row shows the row in the preview and imports the rest after confirmation', async ({ page, lumenUrl }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const root = mkdtempSync(join(tmpdir(), 'lumen-e2e-import-'));
  mkdirSync(join(root, 'images'));
  for (const file of ['coffee.png', 'rocket.jpg', 'cat_chelsea.png']) copyFileSync(join('resources/samples', file), join(root, 'images', file));
  const csv = join(root, 'labels.csv');
  writeFileSync(csv, 'path,label\ncoffee.png,cup\nrocket.jpg\ncat_chelsea.png,cat\n');

  await page.goto(lumenUrl);
  await page.getByLabel('Project folder').fill(join(root, 'study'));
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  const form = page.getByRole('form', { name: 'Import a dataset' });
  await expect(form).toBeVisible();
  await form.getByRole('combobox', { name: 'Format' }).selectOption('csv');
  await form.getByLabel('Dataset name').fill('photos');
  await form.getByLabel('CSV file').fill(csv);
  await form.getByLabel('Image folder').fill(join(root, 'images'));
  await form.getByRole('button', { name: 'Preview' }).click();

  const preview = page.getByRole('dialog', { name: 'Import preview' });
  await expect(preview).toContainText('Would add 2 images');
  await expect(preview).toContainText('Nothing has been written yet.');
  const problems = preview.getByRole('table', { name: /1 problem/ });
  await expect(problems.getByRole('row').filter({ hasText: 'labels.csv line 3' })).toContainText('expected path,label[,split] but found 1 field(s)');
  // Nothing was written: the project still has no dataset.
  await expect(page.getByText('This project has no dataset yet')).toBeVisible();
  await page.screenshot({ path: `${screenshotDir}/import-preview.png` });

  await preview.getByRole('button', { name: 'Confirm import' }).click();
  await expect(page.getByRole('status').filter({ hasText: '2 added, 0 updated, 1 problem' })).toBeVisible();
  await expect(preview).toBeHidden();
  await expect(page.getByRole('gridcell')).toHaveCount(2);
  await expect(page.getByRole('button', { name: /photos/ })).toContainText('2 images');
  expect(errors).toEqual([]);
});

test('Import without a preview of a clean folder imports at once; a path the engine cannot read is a clear error', async ({ page, lumenUrl }) => {
  const root = mkdtempSync(join(tmpdir(), 'lumen-e2e-import-'));
  mkdirSync(join(root, 'images', 'cup'), { recursive: true });
  copyFileSync('resources/samples/coffee.png', join(root, 'images', 'cup', 'coffee.png'));
  await page.goto(lumenUrl);
  await page.getByLabel('Project folder').fill(join(root, 'study'));
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  const form = page.getByRole('form', { name: 'Import a dataset' });
  await form.getByLabel('Dataset name').fill('cups');
  await form.getByLabel('Folder', { exact: true }).fill('images/cup');
  await form.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('is not a full path');
  await form.getByLabel('Folder', { exact: true }).fill(join(root, 'images'));
  await form.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: '1 added' })).toBeVisible();
  await expect(page.getByRole('dialog', { name: 'Import preview' })).toHaveCount(0);
});
