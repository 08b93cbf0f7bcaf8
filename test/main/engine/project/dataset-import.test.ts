import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { importCoco, importCsv, importFolder, importMasks, importVoc, rerootDataset } from '../../../../src/main/engine/project/dataset-import';
import { ProjectStore } from '../../../../src/main/engine/project/project-store';
import { tempDir } from '../../../helpers/tiny-models';

async function png(path: string, width: number, height: number, value: number): Promise<void> {
  await sharp(Buffer.alloc(width * height, value), { raw: { width, height, channels: 1 } }).png().toFile(path);
}

describe('dataset import into a project', () => {
  const data = tempDir('lumen-data-');
  beforeAll(async () => {
    for (const label of ['normal', 'pneumonia']) mkdirSync(join(data, label));
    await png(join(data, 'normal', 'a.png'), 8, 6, 10);
    await png(join(data, 'normal', 'b.png'), 8, 6, 20);
    await png(join(data, 'pneumonia', 'c.png'), 5, 5, 30);
    writeFileSync(join(data, 'pneumonia', 'broken.png'), 'not an image');
  });
  const project = () => ProjectStore.open(join(tempDir(), 'p'), { create: true });

  it('a folder tree: sub-folder = label, facts per image, broken files reported; re-import is idempotent', async () => {
    const store = project();
    const first = await importFolder(store, 'xrays', data);
    expect(first.images).toEqual({ added: 3, updated: 0, unchanged: 0 });
    expect(first.problems).toEqual([{ where: 'pneumonia/broken.png', reason: expect.stringMatching(/./) }]);
    const rows = store.db.prepare('SELECT path, label, width, height, bytes, length(sha256) AS h FROM images ORDER BY path').all() as Array<Record<string, unknown>>;
    expect(rows.map((r) => [r['path'], r['label'], r['width'], r['height'], r['h']])).toEqual([
      ['normal/a.png', 'normal', 8, 6, 64],
      ['normal/b.png', 'normal', 8, 6, 64],
      ['pneumonia/c.png', 'pneumonia', 5, 5, 64],
    ]);
    const again = await importFolder(store, 'xrays', data);
    expect(again.images).toEqual({ added: 0, updated: 0, unchanged: 3 });
    expect(store.db.prepare('SELECT count(*) AS n FROM images').get()).toMatchObject({ n: 3 });
    await expect(importFolder(store, 'xrays', tempDir())).rejects.toThrow(/already has its images under/);
    store.close();
  });

  it('a CSV: path,label[,split] with a header; malformed rows are reported with their line and skipped', async () => {
    const csv = join(tempDir(), 'labels.csv');
    writeFileSync(csv, ['path,label,split', 'normal/a.png,normal,train', '"normal/b.png","normal, clear",test', 'pneumonia/c.png', 'missing.png,normal', '../outside.png,x', 'pneumonia/c.png,pneumonia,holdout', 'pneumonia/c.png,pneumonia,val', ''].join('\n'));
    const store = project();
    const report = await importCsv(store, 'xrays', csv, data);
    expect(report.images.added).toBe(3);
    expect(report.problems).toEqual([
      { where: 'labels.csv line 4', reason: 'expected path,label[,split] but found 1 field(s)' },
      { where: 'labels.csv line 5', reason: expect.stringMatching(/missing\.png does not exist/) },
      { where: 'labels.csv line 6', reason: 'the path ../outside.png is outside the dataset root' },
      { where: 'labels.csv line 7', reason: 'split "holdout" is not train, val or test' },
    ]);
    expect(store.db.prepare("SELECT label, split FROM images WHERE path = 'normal/b.png'").get()).toMatchObject({ label: 'normal, clear', split: 'test' });
    // Changing a label updates the row instead of adding one.
    writeFileSync(csv, 'normal/a.png,pneumonia,train\n');
    expect((await importCsv(store, 'xrays', csv, data)).images).toEqual({ added: 0, updated: 1, unchanged: 0 });
    store.close();
  });

  it('COCO boxes (x, y, w, h -> x0, y0, x1, y1) by category name; bad annotations reported; idempotent', async () => {
    const coco = join(tempDir(), 'instances.json');
    writeFileSync(
      coco,
      JSON.stringify({
        images: [{ id: 1, file_name: 'normal/a.png', width: 8, height: 6 }, { id: 2, file_name: 'pneumonia/c.png' }],
        annotations: [{ id: 1, image_id: 1, category_id: 7, bbox: [1, 2, 3, 2] }, { id: 2, image_id: 2, category_id: 8, bbox: [0, 0, 5] }, { id: 3, image_id: 9, category_id: 7, bbox: [0, 0, 1, 1] }],
        categories: [{ id: 7, name: 'marker' }, { id: 8, name: 'lesion' }],
      }),
    );
    const store = project();
    const report = await importCoco(store, 'xrays', coco, data);
    expect(report.annotations).toEqual({ added: 1, unchanged: 0 });
    expect(report.problems.map((p) => p.where)).toEqual(['instances.json annotation 1', 'instances.json annotation 2']);
    expect(store.db.prepare('SELECT kind, label, x0, y0, x1, y1, source FROM annotations').get()).toMatchObject({ kind: 'box', label: 'marker', x0: 1, y0: 2, x1: 4, y1: 4, source: 'coco' });
    expect((await importCoco(store, 'xrays', coco, data)).annotations).toEqual({ added: 0, unchanged: 1 });
    store.close();
  });

  it('Pascal VOC XML (1-based inclusive pixels) and mask images matched by file stem', async () => {
    const voc = tempDir();
    writeFileSync(join(voc, 'a.xml'), '<annotation><filename>normal/a.png</filename><object><name>ruler</name><bndbox><xmin>2</xmin><ymin>1</ymin><xmax>4</xmax><ymax>3</ymax></bndbox></object><object><name>bad</name><bndbox><xmin>5</xmin><ymin>1</ymin><xmax>2</xmax><ymax>3</ymax></bndbox></object></annotation>');
    writeFileSync(join(voc, 'b.xml'), '<annotation><object/></annotation>');
    const store = project();
    const report = await importVoc(store, 'xrays', voc, data);
    expect(report.annotations.added).toBe(1);
    expect(report.problems.map((p) => p.where)).toEqual(['a.xml object 2', 'b.xml']);
    expect(store.db.prepare("SELECT label, x0, y0, x1, y1 FROM annotations WHERE source = 'voc'").get()).toMatchObject({ label: 'ruler', x0: 1, y0: 0, x1: 4, y1: 3 });
    // The same boxes as regions of interest (a ruler is not the object): a separate annotation.
    expect((await importVoc(store, 'xrays', voc, data, 'region')).annotations.added).toBe(1);
    expect(store.db.prepare("SELECT kind FROM annotations WHERE source = 'voc' ORDER BY kind").all()).toEqual([expect.objectContaining({ kind: 'box' }), expect.objectContaining({ kind: 'region' })]);
    const masks = tempDir();
    await png(join(masks, 'a.mask.png'), 8, 6, 255);
    await png(join(masks, 'zzz.png'), 8, 6, 255);
    const m = importMasks(store, 'xrays', masks, 'lung');
    expect(m.annotations.added).toBe(1);
    expect(m.problems).toEqual([{ where: 'zzz.png', reason: 'no image named zzz in dataset "xrays"' }]);
    expect(importMasks(store, 'xrays', masks, 'lung').annotations).toEqual({ added: 0, unchanged: 1 });
    store.close();
  });

  it('a moved dataset is re-rooted once every image is found at the new place', async () => {
    const store = project();
    await importFolder(store, 'xrays', data);
    expect(() => rerootDataset(store, 'xrays', tempDir())).toThrow(/3 of the 3 images of "xrays" are not under/);
    expect(rerootDataset(store, 'xrays', data)).toEqual({ moved: 3 });
    expect(() => rerootDataset(store, 'nope', data)).toThrow(/no dataset "nope"/);
    store.close();
  });
});
