import { expect, screenshotDir, test } from './serve-fixture';

test.describe('quick look from the start screen, in Chromium through the loopback bridge', () => {
  test('pick a sample and see the right top-1 label', async ({ page, lumenUrl }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(lumenUrl);
    // The token leaves the address bar once the page has its cookie.
    await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/$/);
    await expect(page.getByText('MobileNetV2 1.0 224 (ImageNet-1k)')).toBeVisible();

    await page.getByRole('button', { name: 'Tabby cat "Chelsea"' }).click();
    const predictions = page.getByRole('list', { name: 'Predictions' });
    await expect(predictions.locator('li')).toHaveCount(10);
    await expect(predictions.locator('li[data-rank="1"] .label')).toHaveText('tiger cat');
    await expect(page.getByRole('img', { name: 'The image cat_chelsea.png' })).toBeVisible();
    await page.screenshot({ path: `${screenshotDir}/classify-cat.png` });

    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByRole('button', { name: 'Espresso cup' }).click();
    await expect(predictions.locator('li[data-rank="1"] .label')).toHaveText('espresso');
    expect(errors).toEqual([]);
  });

  test('open an image from disk (the file picker) and survive a broken one', async ({ page, lumenUrl }) => {
    await page.goto(lumenUrl);
    const picker = page.getByLabel('Open image…', { exact: true }).and(page.locator('input[type=file]'));
    await picker.setInputFiles('resources/samples/rocket.jpg');
    await expect(page.getByRole('list', { name: 'Predictions' }).locator('li[data-rank="1"] .label')).toHaveText('missile');

    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await picker.setInputFiles({ name: 'broken.png', mimeType: 'image/png', buffer: Buffer.from('not really a png') });
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('"broken.png" could not be read as an image');
    await page.screenshot({ path: `${screenshotDir}/classify-error.png` });
    await alert.getByRole('button', { name: 'Dismiss' }).click();
    await expect(alert).toHaveCount(0);
  });

  test('dark and light themes', async ({ page, lumenUrl }) => {
    await page.goto(lumenUrl);
    await page.getByRole('button', { name: 'Grace Hopper', exact: false }).click();
    await expect(page.getByRole('list', { name: 'Predictions' }).locator('li[data-rank="1"] .label')).toHaveText('military uniform');
    const before = await page.evaluate(() => document.documentElement.dataset['theme']);
    await page.getByRole('button', { name: 'Switch between light and dark theme' }).click();
    const after = await page.evaluate(() => document.documentElement.dataset['theme']);
    expect(after).not.toBe(before);
    await page.screenshot({ path: `${screenshotDir}/classify-${after}.png` });
  });
});
