import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { drawBox } from './draw-box';
import { collectErrors } from './page-errors';
import { expect, screenshotDir, serveOnHome, test } from './serve-fixture';

/**
 * A first session, as issue 18 describes it, in one go in Chromium through the loopback bridge:
 * the demo project, three explanations of one image that are still there after leaving it, an
 * audit that fills the Dataset screen while it is open, a report draft that survives a tour of
 * every screen and a reload (which brings back the project, the screen and the theme), and an
 * annotation undone. Each step leaves a screenshot in test-results/screenshots/journey-*.png.
 *
 * It has a `lumen serve` and Lumen home of its own, so the demo project has no audit, explanation
 * or annotation from the other browser tests.
 */

const nav = (page: Page) => page.getByRole('navigation', { name: 'Screens' });
const explanations = (page: Page) => page.getByRole('list', { name: 'Explanations of this image' });
const top = (page: Page) => page.getByRole('list', { name: 'Predictions' }).locator('li[data-rank="1"] .label');
const theme = (page: Page): Promise<string | undefined> => page.evaluate(() => document.documentElement.dataset['theme']);

let step = 0;
async function shot(page: Page, name: string): Promise<void> {
  step += 1;
  await page.screenshot({ path: `${screenshotDir}/journey-${String(step).padStart(2, '0')}-${name}.png` });
}

async function go(page: Page, screen: string): Promise<void> {
  await nav(page).getByRole('button', { name: new RegExp(`^${screen}`) }).click();
  await expect(nav(page).locator('[aria-current="page"]')).toContainText(screen);
}

async function openImage(page: Page, name: RegExp): Promise<void> {
  await go(page, 'Dataset');
  await page.getByRole('gridcell', { name }).first().dblclick();
  await expect(page.getByRole('list', { name: 'Predictions' })).toBeVisible({ timeout: 30_000 });
}

async function explain(page: Page, method: string): Promise<void> {
  const before = await explanations(page).locator('li').count();
  await page.getByRole('combobox', { name: 'Method', exact: true }).selectOption({ label: method });
  await page.getByRole('button', { name: 'Explain', exact: true }).click();
  await expect(explanations(page).locator('li')).toHaveCount(before + 1, { timeout: 90_000 });
}

test('a first session: explain, leave and come back, audit, draft a report, tour every screen, reload, undo', async ({ page }) => {
  test.setTimeout(600_000);
  mkdirSync(screenshotDir, { recursive: true });
  const errors = collectErrors(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  const lumen = await serveOnHome(mkdtempSync(join(tmpdir(), 'lumen-e2e-journey-')));
  try {
    await page.goto(lumen.url);
    await page.getByRole('button', { name: 'Open the demo project' }).click();
    await expect(page.getByRole('grid')).toBeVisible();
    await expect(page.getByText('No audit yet.')).toBeVisible();
    await shot(page, 'dataset');

    // Three explanations of one image.
    await openImage(page, /coffee/);
    await expect(top(page)).toHaveText('espresso');
    await explain(page, 'Grad-CAM');
    await explain(page, 'Integrated Gradients');
    await explain(page, 'Gradient (saliency)');
    await expect(page.getByRole('button', { name: 'Explain', exact: true })).toBeInViewport();
    await page.getByRole('button', { name: 'Add to report' }).click();
    await shot(page, 'three-explanations');

    // Leave for another image and come back: the three are there, none computed again.
    await openImage(page, /rocket/);
    await expect(explanations(page)).toHaveCount(0);
    await openImage(page, /coffee/);
    await expect(explanations(page).locator('li')).toHaveCount(3);
    await expect(explanations(page)).toContainText('Grad-CAM');
    await expect(explanations(page)).toContainText('Integrated Gradients');
    await expect(explanations(page)).toContainText('Gradient (saliency)');
    await shot(page, 'explanations-back');

    // An audit started on the Dataset screen fills it while it stays open: no reload.
    await go(page, 'Dataset');
    const auditForm = page.getByRole('form', { name: 'Audit this dataset' });
    await auditForm.getByRole('combobox', { name: 'Method' }).selectOption({ label: 'Grad-CAM' });
    await auditForm.getByRole('button', { name: /^Audit/ }).click();
    const run = page.getByRole('button', { name: /#\d+ grad-cam/ });
    await expect(run).toContainText('done', { timeout: 120_000 });
    await expect(page.getByText('No audit yet.')).toHaveCount(0);
    await page.getByRole('button', { name: 'Table' }).click();
    await expect(page.getByRole('row', { name: /coffee\.png/ })).toContainText('espresso');
    await expect(page.getByLabel('Sort by').locator('option[value="confidence"]')).toHaveCount(1);
    await shot(page, 'dataset-after-audit');

    // A report draft.
    await go(page, 'Report');
    const builder = page.getByRole('form', { name: 'Report' });
    await builder.getByLabel('Title').fill('First session');
    await builder.getByLabel('Summary').fill('Grad-CAM and IG agree on the cup.');
    await builder.getByLabel('Summary').blur();
    const preview = page.frameLocator('iframe[title="Report preview"]');
    await expect(preview.getByRole('heading', { name: 'First session' })).toBeVisible({ timeout: 180_000 });
    await shot(page, 'report-draft');

    // Every screen, then back to the report: the draft is as it was.
    for (const screen of ['Start', 'Dataset', 'Inspector', 'Compare', 'Audit', 'Models', 'Settings']) {
      await go(page, screen);
      await shot(page, `screen-${screen.toLowerCase()}`);
    }
    await go(page, 'Report');
    await expect(builder.getByLabel('Title')).toHaveValue('First session');
    await expect(builder.getByLabel('Summary')).toHaveValue('Grad-CAM and IG agree on the cup.');
    await expect(preview.getByRole('heading', { name: 'First session' })).toBeVisible();
    await shot(page, 'report-draft-back');

    // The other theme, then a reload: project, screen, theme and draft come back.
    await page.getByRole('button', { name: 'Switch between light and dark theme' }).click();
    const chosen = await theme(page);
    await page.reload();
    await expect(nav(page).locator('[aria-current="page"]')).toContainText('Report', { timeout: 60_000 });
    await expect(page.locator('header .project')).toHaveText('demo-project');
    expect(await theme(page)).toBe(chosen);
    await expect(builder.getByLabel('Title')).toHaveValue('First session');
    // The preview is built again from the engine's cache: nothing is attributed twice.
    await expect(preview.getByRole('heading', { name: 'First session' })).toBeVisible({ timeout: 60_000 });
    await expect(preview.getByRole('img').first()).toBeVisible();
    await shot(page, 'after-reload');

    // An annotation, drawn and undone.
    await openImage(page, /coffee/);
    await drawBox(page, /coffee\.png, zoom and pan/, 'rim');
    await shot(page, 'annotation-drawn');
    // Undo the note, then the box itself.
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    await expect(page.getByRole('img', { name: /^Box/ })).toHaveCount(0);
    await shot(page, 'annotation-undone');
    expect(errors).toEqual([]);
  } finally {
    await lumen.stop();
  }
});
