import { expect, screenshotDir, test } from './serve-fixture';

/**
 * A CT slice opened from disk in Chromium through the loopback bridge: the inspector draws it from
 * its Hounsfield units and a right-button drag windows it (horizontal = width, vertical = centre)
 * on the display only; the scale bar names the spacing tag.
 */
test('window/level on a DICOM CT slice by right-button drag, with a millimetre scale bar', async ({ page, lumenUrl }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(lumenUrl);
  await page.getByLabel('Open image…', { exact: true }).and(page.locator('input[type=file]')).setInputFiles('test/fixtures/medical/CT_small.dcm');
  await expect(page.getByRole('list', { name: 'Predictions' }).locator('li')).not.toHaveCount(0);
  await page.getByRole('button', { name: 'Inspector', exact: true }).click();

  const readout = page.locator('.readout');
  // CT_small has no window: the full range of its HU opens.
  await expect(readout).toHaveText(/^C -?\d+ \/ W \d+ HU$/);
  await expect(page.getByText(/Display only: the model sees the file's window/)).toBeVisible();
  const canvas = page.getByRole('img', { name: 'CT_small.dcm, windowed' });
  await expect(canvas).toBeVisible();
  await expect(page.locator('.scale-bar')).toHaveAttribute('data-source', 'PixelSpacing');

  await page.getByRole('combobox', { name: 'Window preset' }).selectOption({ label: 'lung (-600 / 1500 HU)' });
  await expect(readout).toHaveText('C -600 / W 1500 HU');
  const before = await canvas.screenshot();
  const box = (await page.getByRole('group', { name: /zoom and pan/ }).boundingBox())!;
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down({ button: 'right' });
  await page.mouse.move(x + 50, y - 25, { steps: 5 });
  await page.mouse.up({ button: 'right' });
  // The slice's levels span 1024 px of drag: the width grew and the centre fell, and the pixels changed.
  const [, centre, width] = /^C (-?\d+) \/ W (\d+) HU$/.exec((await readout.textContent()) ?? '')!;
  expect(Number(width)).toBeGreaterThan(1500);
  expect(Number(centre)).toBeLessThan(-600);
  expect(Buffer.compare(before, await canvas.screenshot())).not.toBe(0);
  await page.screenshot({ path: `${screenshotDir}/window-level.png` });
  expect(errors).toEqual([]);
});

/**
 * A multi-frame grayscale DICOM file (pydicom's RT dose grid, 15 frames): the inspector says the model sees the first frame, another frame can be
 * shown (display only), and "Explain frame 2" gives the model that frame instead.
 */
test('a multi-frame DICOM file: the note on the frame read, and another frame given to the model', async ({ page, lumenUrl }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(lumenUrl);
  await page.getByLabel('Open image…', { exact: true }).and(page.locator('input[type=file]')).setInputFiles('test/fixtures/dicom/pydicom/rtdose.dcm');
  await expect(page.getByRole('list', { name: 'Predictions' }).locator('li')).not.toHaveCount(0);
  await page.getByRole('button', { name: 'Inspector', exact: true }).click();
  const notes = page.getByRole('list', { name: 'How the image was read' });
  await expect(notes).toContainText(/15 frames/);
  await page.getByLabel('Frame', { exact: true }).fill('2');
  await page.getByLabel('Frame', { exact: true }).press('Enter');
  await expect(page.getByText(/The model sees frame 1/)).toBeVisible();
  await page.getByRole('button', { name: 'Explain frame 2' }).click();
  // Opened at frame 2, the image has no "first frame" note and the model sees what is shown.
  await expect(notes).toHaveCount(0);
  await expect(page.getByText(/The model sees frame 1/)).toHaveCount(0);
  await expect(page.getByLabel('Frame', { exact: true })).toHaveValue('2');
  expect(errors).toEqual([]);
});

/** A colour two-frame DICOM file has no window/level bar: its own frame picker gives the model frame 2. */
test('a colour multi-frame DICOM file: the frame picker without window/level', async ({ page, lumenUrl }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(lumenUrl);
  await page.getByLabel('Open image…', { exact: true }).and(page.locator('input[type=file]')).setInputFiles('test/fixtures/dicom/pydicom/SC_rgb_rle_16bit_2frame.dcm');
  await expect(page.getByRole('list', { name: 'Predictions' }).locator('li')).not.toHaveCount(0);
  await page.getByRole('button', { name: 'Inspector', exact: true }).click();
  await expect(page.getByRole('list', { name: 'How the image was read' })).toContainText(/2 frames/);
  await expect(page.locator('.readout')).toHaveCount(0);
  await page.getByLabel('Frame', { exact: true }).fill('2');
  await page.getByRole('button', { name: 'Explain frame 2' }).click();
  await expect(page.getByRole('list', { name: 'How the image was read' })).toHaveCount(0);
  await expect(page.getByLabel('Frame', { exact: true })).toHaveValue('2');
  expect(errors).toEqual([]);
});
