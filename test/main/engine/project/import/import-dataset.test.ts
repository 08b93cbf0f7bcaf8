import { existsSync, mkdirSync, renameSync, writeFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportParams } from '../../../../../src/shared/contract/dataset-import';
import type { LumenError } from '../../../../../src/shared/errors';
import { importDataset } from '../../../../../src/main/engine/project/import/import-dataset';
import { ProjectStore } from '../../../../../src/main/engine/project/project-store';
import { tempDir } from '../../../../helpers/tiny-models';

const samples = join(import.meta.dirname, '../../../../../resources/samples');

/** Every row of every table of a project, in rowid order: what "the project did not change" means. */
function snapshot(project: string): Record<string, unknown[]> {
  const store = ProjectStore.open(project);
  try {
    const tables = (store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((t) => t.name);
    return Object.fromEntries(tables.map((t) => [t, store.db.prepare(`SELECT * FROM "${t}"`).all().map((row) => JSON.stringify(row))]));
  } finally {
    store.close();
  }
}

function newProject(): string {
  const project = join(tempDir(), 'study');
  ProjectStore.open(project, { create: true }).close();
  return project;
}

/** The contract's parsing (defaults filled in), as a request from any door arrives at the handler. */
const run = (params: unknown) => importDataset(ImportParams.parse(params));

async function failure(promise: Promise<unknown>): Promise<LumenError> {
  try {
    await promise;
  } catch (error) {
    return error as LumenError;
  }
  throw new Error('expected the import to fail');
}

describe('datasets.import with preview: the report of the import, and the project unchanged', () => {
  it('a CSV with a bad row: the preview lists the row with file and line, writes nothing, and the import then gives the same report', async () => {
    const project = newProject();
    const csv = join(tempDir(), 'labels.csv');
    writeFileSync(csv, 'path,label\ncoffee.png,cup\nrocket.jpg\nmissing.png,cat\ngrace_hopper.png,person,holiday\n');
    const before = snapshot(project);
    const preview = await run({ format: 'csv', project, dataset: 'photos', csv, root: samples, preview: true });
    expect(preview.images).toEqual({ added: 1, updated: 0, unchanged: 0 });
    expect(preview.problems).toEqual([
      { where: 'labels.csv line 3', reason: 'expected path,label[,split] but found 1 field(s)' },
      { where: 'labels.csv line 4', reason: expect.stringMatching(/^the image file missing\.png does not exist under /) },
      { where: 'labels.csv line 5', reason: 'split "holiday" is not train, val or test' },
    ]);
    expect(snapshot(project)).toEqual(before);
    const imported = await run({ format: 'csv', project, dataset: 'photos', csv, root: samples });
    expect(imported).toEqual(preview);
    expect(snapshot(project)).not.toEqual(before);
    // Previewing it again now says what a second import would: nothing new.
    expect((await run({ format: 'csv', project, dataset: 'photos', csv, root: samples, preview: true })).images).toEqual({ added: 0, updated: 0, unchanged: 1 });
  });

  it('a folder, then COCO boxes and a re-root: each previewed without a change, then done', async () => {
    const project = newProject();
    const images = join(tempDir(), 'images');
    cpSync(samples, images, { recursive: true });
    const before = snapshot(project);
    const folder = await run({ project, dataset: 'photos', folder: images, preview: true });
    expect(folder.images.added).toBe(6);
    expect(snapshot(project)).toEqual(before);
    expect(await run({ project, dataset: 'photos', folder: images })).toEqual(folder);

    const coco = join(tempDir(), 'boxes.json');
    writeFileSync(
      coco,
      JSON.stringify({
        images: [{ id: 1, file_name: 'coffee.png' }],
        categories: [{ id: 7, name: 'cup' }],
        annotations: [
          { image_id: 1, category_id: 7, bbox: [10, 10, 50, 40] },
          { image_id: 1, category_id: 7, bbox: [5000, 5000, 10, 10] },
        ],
      }),
    );
    const imported = snapshot(project);
    const boxes = await run({ format: 'coco', project, dataset: 'photos', coco, root: images, preview: true });
    expect(boxes.annotations).toEqual({ added: 1, unchanged: 0 });
    expect(boxes.problems).toHaveLength(1);
    expect(boxes.problems[0]!.reason).toMatch(/lies outside the \d+ x \d+ image/);
    expect(snapshot(project)).toEqual(imported);
    expect(await run({ format: 'coco', project, dataset: 'photos', coco, root: images })).toEqual(boxes);

    const moved = join(tempDir(), 'moved');
    renameSync(images, moved);
    const boxed = snapshot(project);
    expect(await run({ format: 'reroot', project, dataset: 'photos', reroot: moved, preview: true })).toMatchObject({ dataset: 'photos', moved: 6 });
    expect(snapshot(project)).toEqual(boxed);
    expect((await run({ format: 'reroot', project, dataset: 'photos', reroot: moved })).moved).toBe(6);
    expect(snapshot(project)).not.toEqual(boxed);
  });

  it('a preview never creates a project, and a missing source is refused before one is created', async () => {
    const project = join(tempDir(), 'new-study');
    expect((await failure(run({ project, dataset: 'd', folder: samples, create: true, preview: true }))).message).toMatch(/There is no folder .*new-study/);
    expect(existsSync(project)).toBe(false);
    const missing = join(tempDir(), 'none.csv');
    expect((await failure(run({ format: 'csv', project, dataset: 'd', csv: missing, root: samples, create: true }))).message).toMatch(/The CSV file .*none\.csv does not exist\./);
    expect(existsSync(project)).toBe(false);
    const created = await run({ project, dataset: 'd', folder: samples, create: true });
    expect(created.images.added).toBe(6);
  });

  it('a failed preview (a dataset that is not there) leaves the project as it was, and the next import works', async () => {
    const project = newProject();
    const masks = join(tempDir(), 'masks');
    mkdirSync(masks);
    const before = snapshot(project);
    expect((await failure(run({ format: 'masks', project, dataset: 'nothing', masks, preview: true }))).message).toMatch(/There is no dataset "nothing"/);
    // An error of the preview names the project (never the scratch copy it ran on).
    const labels = join(tempDir(), 'labels.csv');
    writeFileSync(labels, 'path,label\ncoffee.png,cup\n');
    const missing = await failure(run({ format: 'labels', project, dataset: 'nothing', labels, preview: true }));
    expect(missing.message).toBe(`There is no dataset "nothing" in ${project}.`);
    expect(snapshot(project)).toEqual(before);
    expect((await run({ project, dataset: 'photos', folder: samples })).images.added).toBe(6);
  });
});

describe('the import request as the contract reads it', () => {
  it('a folder needs no format (what datasets.import always took); every other format names its sources', () => {
    expect(ImportParams.parse({ project: '/p', dataset: 'd', folder: '/f' })).toEqual({ format: 'folder', project: '/p', dataset: 'd', folder: '/f', preview: false, create: false });
    expect(ImportParams.parse({ format: 'voc', project: '/p', dataset: 'd', voc: '/x', root: '/r' })).toMatchObject({ boxes: 'box' });
    expect(ImportParams.safeParse({ format: 'csv', project: '/p', dataset: 'd', csv: '/a.csv' }).success).toBe(false);
    expect(ImportParams.safeParse({ format: 'xls', project: '/p', dataset: 'd' }).success).toBe(false);
    expect(ImportParams.safeParse({ format: 'masks', project: '/p', dataset: 'd', masks: '/m', root: '/r' }).success).toBe(false);
  });
});
