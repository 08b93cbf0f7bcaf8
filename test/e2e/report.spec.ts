import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { drawBox } from './draw-box';
import { expect, screenshotDir, test } from './serve-fixture';

/**
 * The report builder end to end: images from the inspector, a live preview, export to HTML (which
 * then opens in Chromium with the network off, every image loading) and to PDF (read back with
 * poppler's pdftotext).
 */
const outDir = 'test-results/report-e2e';

test('build a report from the inspector, preview it, export HTML and PDF', async ({ page, lumenUrl, browser }) => {
  test.setTimeout(180_000);
  mkdirSync(outDir, { recursive: true });
  await page.goto(lumenUrl);
  await page.getByRole('button', { name: 'Open the demo project' }).click();
  await page.getByRole('gridcell', { name: /coffee/ }).first().dblclick();
  await expect(page.getByRole('list', { name: 'Predictions' }).locator('li[data-rank="1"] .label')).toHaveText('espresso');
  // A box with a note, drawn over the image: it is stored in the project and goes in the report.
  await drawBox(page, /coffee\.png, zoom and pan/, 'crema, check the rim');
  await page.screenshot({ path: `${screenshotDir}/inspector-annotation.png` });
  await page.getByRole('button', { name: 'Add to report' }).click();
  await expect(page.getByRole('button', { name: 'In the report' })).toBeDisabled();

  await page.getByRole('button', { name: 'Report', exact: true }).click();
  const builder = page.getByRole('form', { name: 'Report' });
  await builder.getByLabel('Title').fill('Espresso check');
  await builder.getByLabel('Summary').fill('Grad-CAM looks at the cup.');
  const preview = page.frameLocator('iframe[title="Report preview"]');
  await expect(preview.getByRole('heading', { name: 'Espresso check' })).toBeVisible({ timeout: 60_000 });
  await expect(preview.getByText('Grad-CAM').first()).toBeVisible();
  await expect(preview.getByText('crema, check the rim').first()).toBeVisible();
  await page.screenshot({ path: `${screenshotDir}/report-builder.png` });

  const [html] = await Promise.all([page.waitForEvent('download'), builder.getByRole('button', { name: 'Export HTML' }).click()]);
  const htmlPath = `${outDir}/${html.suggestedFilename()}`;
  await html.saveAs(htmlPath);
  const text = readFileSync(htmlPath, 'utf8');
  expect(text).not.toMatch(/(src|href)\s*=\s*["']?(https?:|file:|\/)/i);

  // Opened on its own, offline: every image is embedded and loads.
  const context = await browser.newContext({ offline: true, javaScriptEnabled: true });
  const requests: string[] = [];
  context.on('request', (r) => {
    if (!r.url().startsWith('data:') && !r.url().startsWith('file:')) requests.push(r.url());
  });
  const alone = await context.newPage();
  await alone.goto(`file://${process.cwd()}/${htmlPath}`);
  const images = await alone.evaluate(() => Array.from(document.images).map((i) => ({ ok: i.complete && i.naturalWidth > 0, src: i.src.slice(0, 22) })));
  expect(images.length).toBeGreaterThanOrEqual(2);
  expect(images.every((i) => i.ok && i.src.startsWith('data:image/'))).toBe(true);
  expect(requests).toEqual([]);
  await alone.screenshot({ path: `${screenshotDir}/report-html.png`, fullPage: true });
  await context.close();

  const [pdf] = await Promise.all([page.waitForEvent('download', { timeout: 90_000 }), builder.getByRole('button', { name: 'Export PDF' }).click()]);
  const pdfPath = `${outDir}/${pdf.suggestedFilename()}`;
  await pdf.saveAs(pdfPath);
  expect(readFileSync(pdfPath).subarray(0, 5).toString()).toBe('%PDF-');
  if (existsSync('/usr/bin/pdftotext')) {
    const pdfText = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
    expect(pdfText).toContain('Espresso check');
    expect(pdfText).toContain('Grad-CAM');
  }
});

test('the report draft survives a visit to other screens, and Ctrl+Z undoes a title change', async ({ page, lumenUrl }) => {
  test.setTimeout(180_000);
  await page.goto(lumenUrl);
  await page.getByRole('button', { name: 'Open the demo project' }).click();
  await page.getByRole('gridcell', { name: /rocket/ }).first().dblclick();
  await page.getByRole('button', { name: 'Add to report' }).click();
  await page.getByRole('button', { name: 'Report', exact: true }).click();

  const builder = page.getByRole('form', { name: 'Report' });
  const title = builder.getByRole('textbox', { name: 'Title' });
  const summary = builder.getByRole('textbox', { name: 'Summary' });
  // Nothing computed in the inspector yet: the recommended methods are ticked, in a plain list.
  const methods = builder.getByRole('list', { name: 'Methods' });
  await expect(methods.getByRole('checkbox', { name: 'Grad-CAM', exact: true })).toBeChecked();
  await title.fill('Rocket draft');
  await summary.fill('Written before leaving the screen.');
  await methods.getByRole('checkbox', { name: 'Grad-CAM', exact: true }).uncheck();
  const preview = page.frameLocator('iframe[title="Report preview"]');
  await expect(preview.getByRole('heading', { name: 'Rocket draft' })).toBeVisible({ timeout: 90_000 });

  for (const other of ['Dataset', 'Inspector', 'Settings']) await page.getByRole('button', { name: other, exact: true }).click();
  await page.getByRole('button', { name: 'Report', exact: true }).click();
  await expect(title).toHaveValue('Rocket draft');
  await expect(summary).toHaveValue('Written before leaving the screen.');
  await expect(methods.getByRole('checkbox', { name: 'Grad-CAM', exact: true })).not.toBeChecked();
  await expect(builder.getByText('rocket.jpg')).toBeVisible();
  // The preview came back with the draft, without a rebuild.
  await expect(preview.getByRole('heading', { name: 'Rocket draft' })).toBeVisible();
  await page.screenshot({ path: `${screenshotDir}/report-draft-kept.png` });

  // A title change, committed when the field loses focus; Ctrl+Z outside the field reverts it.
  await title.fill('Rocket draft, reviewed');
  await builder.getByText('Images (1)').click();
  await page.keyboard.press('Control+z');
  await expect(title).toHaveValue('Rocket draft');
  await page.keyboard.press('Control+Shift+z');
  await expect(title).toHaveValue('Rocket draft, reviewed');
  await page.keyboard.press('Control+z');
  await expect(title).toHaveValue('Rocket draft');
  await expect(builder.getByRole('button', { name: 'Redo' })).toBeEnabled();
});
