import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { importCoco, importCsv, importFolder, importMasks, importVoc } from '../../../../src/main/engine/project/dataset-import';
import { ProjectStore } from '../../../../src/main/engine/project/project-store';
import { tempDir } from '../../../helpers/tiny-models';

async function png(path: string, width: number, height: number): Promise<void> {
  await sharp(Buffer.alloc(width * height, 90), { raw: { width, height, channels: 1 } }).png().toFile(path);
}

/** Imports given careless or hostile files: every bad row is its own problem, nothing outside the root is read. */
describe('imports of careless and hostile files', () => {
  const parent = tempDir('lumen-hostile-');
  const data = join(parent, 'data');
  const outsideImage = join(parent, 'outside.png');
  beforeAll(async () => {
    mkdirSync(data);
    for (const name of ['a', 'b', 'c', 'd']) await png(join(data, `${name}.png`), 10, 8);
    await png(outsideImage, 4, 4);
    symlinkSync(outsideImage, join(data, 'link.png'));
  });
  const project = () => ProjectStore.open(join(tempDir(), 'p'), { create: true });
  const paths = (store: ProjectStore) => (store.db.prepare('SELECT path, label FROM images ORDER BY path').all() as Array<{ path: string; label: string | null }>).map((r) => [r.path, r.label]);

  it('a CSV with an unterminated quote: that row is one problem with its line; every other row is imported or reported', async () => {
    const csv = join(tempDir(), 'labels.csv');
    writeFileSync(csv, ['path,label', 'a.png,cat', '"b.png,dog', 'c.png,cat', 'nope.png,cat', 'd.png,"d"og"', 'd.png,dog', ''].join('\n'));
    const store = project();
    const report = await importCsv(store, 'set', csv, data);
    expect(report.images).toEqual({ added: 3, updated: 0, unchanged: 0 });
    expect(paths(store)).toEqual([['a.png', 'cat'], ['c.png', 'cat'], ['d.png', 'dog']]);
    expect(report.problems.map((p) => [p.where, p.reason])).toEqual([
      ['labels.csv line 3', 'a field opens a quote (") that is not closed on this line'],
      ['labels.csv line 5', expect.stringMatching(/nope\.png does not exist/)],
      ['labels.csv line 6', expect.stringMatching(/text after its closing quote/)],
    ]);
    store.close();
  });

  it('a CSV that gives one path two labels: both rows are problems naming each other, and the stored label stays', async () => {
    const csv = join(tempDir(), 'labels.csv');
    writeFileSync(csv, 'a.png,cat\n');
    const store = project();
    await importCsv(store, 'set', csv, data);
    writeFileSync(csv, ['a.png,dog', 'b.png,cat', 'a.png,bird,train', 'b.png,cat', ''].join('\n'));
    const report = await importCsv(store, 'set', csv, data);
    expect(report.images).toEqual({ added: 1, updated: 0, unchanged: 0 });
    expect(report.problems).toEqual([
      { where: 'labels.csv line 1', reason: 'conflicting rows for a.png: "dog" here but "bird" (train) at labels.csv line 3; neither is imported, give the path once' },
      { where: 'labels.csv line 3', reason: 'conflicting rows for a.png: "bird" (train) here but "dog" at labels.csv line 1; neither is imported, give the path once' },
    ]);
    expect(paths(store)).toEqual([['a.png', 'cat'], ['b.png', 'cat']]);
    store.close();
  });

  it('a value with a line break in it is shown escaped: every problem stays one line', async () => {
    const csv = join(tempDir(), 'labels.csv');
    writeFileSync(csv, ['"x\r\ny.png",cat', 'a.png,"cat\nlion"', 'a.png,dog', ''].join('\n'));
    const store = project();
    const report = await importCsv(store, 'set', csv, data);
    expect(report.problems.map((p) => p.reason)).toEqual([
      expect.stringMatching(/^the image file x\\r\\ny\.png does not exist under /),
      'conflicting rows for a.png: "cat\\nlion" here but "dog" at labels.csv line 5; neither is imported, give the path once',
      'conflicting rows for a.png: "dog" here but "cat\\nlion" at labels.csv line 3; neither is imported, give the path once',
    ]);
    expect(report.problems.map((p) => p.where)).toEqual(['labels.csv line 1', 'labels.csv line 3', 'labels.csv line 5']);
    expect(report.problems.every((p) => !/[\r\n]/.test(p.reason + p.where))).toBe(true);
    store.close();
  });

  it('one path rule for every importer: "..", absolute paths and links out of the root are problems, and never read', async () => {
    const csv = join(tempDir(), 'labels.csv');
    writeFileSync(csv, ['../outside.png,x', `${outsideImage},x`, 'link.png,x', `${join(data, 'a.png')},x`, ''].join('\n'));
    const store = project();
    const fromCsv = await importCsv(store, 'set', csv, data);
    expect(fromCsv.problems.map((p) => p.reason)).toEqual(['the path ../outside.png is outside the dataset root', `the path ${outsideImage} is outside the dataset root`, 'the path link.png is outside the dataset root']);
    expect(paths(store)).toEqual([['a.png', 'x']]);

    const coco = join(tempDir(), 'coco.json');
    writeFileSync(coco, JSON.stringify({ images: [{ id: 1, file_name: '../../outside.png' }, { id: 2, file_name: outsideImage }, { id: 3, file_name: 'sub/../../outside.png' }, { id: 4, file_name: 'b.png' }], annotations: [], categories: [] }));
    const fromCoco = await importCoco(store, 'set', coco, data);
    expect(fromCoco.problems.map((p) => [p.where, p.reason])).toEqual([
      ['coco.json image 1', 'the path ../../outside.png is outside the dataset root'],
      ['coco.json image 2', `the path ${outsideImage} is outside the dataset root`],
      ['coco.json image 3', 'the path sub/../../outside.png is outside the dataset root'],
    ]);

    const voc = tempDir();
    writeFileSync(join(voc, 'x.xml'), '<annotation><filename>../outside.png</filename></annotation>');
    writeFileSync(join(voc, 'y.xml'), `<annotation><filename>${outsideImage}</filename></annotation>`);
    const fromVoc = await importVoc(store, 'set', voc, data);
    expect(fromVoc.problems.map((p) => [p.where, p.reason])).toEqual([
      ['x.xml', 'the path ../outside.png is outside the dataset root'],
      ['y.xml', `the path ${outsideImage} is outside the dataset root`],
    ]);
    expect(paths(store)).toEqual([['a.png', 'x'], ['b.png', null]]);
    store.close();
  });

  it('masks: a link in the mask folder that points out of it is a problem, not a mask', async () => {
    const store = project();
    await importFolder(store, 'set', data);
    const masks = tempDir();
    await png(join(masks, 'a.mask.png'), 10, 8);
    symlinkSync(outsideImage, join(masks, 'b.mask.png'));
    const report = importMasks(store, 'set', masks);
    expect(report.annotations.added).toBe(1);
    expect(report.problems).toEqual([{ where: 'b.mask.png', reason: 'it leads out of the mask folder (a symbolic link)' }]);
    store.close();
  });

  it('COCO: wrong types are a problem per row ("file_name": null), unknown category ids refused, boxes clipped to the image', async () => {
    const coco = join(tempDir(), 'coco.json');
    writeFileSync(
      coco,
      JSON.stringify({
        images: [{ id: 1, file_name: null }, { id: 2, file_name: 'a.png' }, { id: '3', file_name: 'b.png' }],
        annotations: [
          { image_id: 2, category_id: 9, bbox: [1, 1, 2, 2] },
          { image_id: 2, category_id: 1, bbox: [6, 4, 10, 10] },
          { image_id: 2, category_id: 1, bbox: [20, 20, 2, 2] },
          { image_id: 2, category_id: 1, bbox: [1, 1, 2, 2] },
        ],
        categories: [{ id: 1, name: 'lesion' }, { id: 2 }],
      }),
    );
    const store = project();
    const report = await importCoco(store, 'set', coco, data);
    expect(report.images.added).toBe(1);
    expect(report.problems.map((p) => [p.where, p.reason, p.kept ?? false])).toEqual([
      ['coco.json categories[1]', 'needs an integer id and a name (name: Invalid input: expected string, received undefined)', false],
      ['coco.json images[0]', 'needs an integer id and a file_name string (file_name: Invalid input: expected string, received null)', false],
      ['coco.json images[2]', 'needs an integer id and a file_name string (id: Invalid input: expected number, received string)', false],
      ['coco.json annotation 0', 'category 9 is not among the file\'s categories', false],
      ['coco.json annotation 1', 'the box [6, 4, 16, 14] reaches outside the 10 x 8 image; clipped to [6, 4, 10, 8]', true],
      ['coco.json annotation 2', 'the box [20, 20, 22, 22] lies outside the 10 x 8 image', false],
    ]);
    expect(store.db.prepare('SELECT label, x0, y0, x1, y1 FROM annotations ORDER BY x0').all()).toEqual([
      { label: 'lesion', x0: 1, y0: 1, x1: 3, y1: 3 },
      { label: 'lesion', x0: 6, y0: 4, x1: 10, y1: 8 },
    ]);
    store.close();
  });

  it('COCO that is not JSON: the error names the file and never quotes what is in it', async () => {
    const coco = join(tempDir(), 'coco.json');
    writeFileSync(coco, 'secret-password-123\n');
    const store = project();
    const error = await importCoco(store, 'set', coco, data).catch((e: Error) => e);
    expect(String(error)).toMatch(/coco\.json is not valid JSON/);
    expect(String(error)).not.toMatch(/secret/);
    writeFileSync(coco, JSON.stringify({ images: 'secret-password-123' }));
    const typed = await importCoco(store, 'set', coco, data).catch((e: Error) => e);
    expect(String(typed)).toMatch(/images: Invalid input: expected array, received string/);
    expect(String(typed)).not.toMatch(/secret/);
    store.close();
  });

  it('VOC through an XML parser: entities decoded, no entity expansion, malformed files reported, boxes clipped', async () => {
    const voc = tempDir();
    writeFileSync(join(voc, 'a.xml'), '<?xml version="1.0"?>\n<annotation>\n  <filename> a.png </filename>\n  <object><name>R&amp;D &lt;ruler&gt; &#233;</name><bndbox><xmin>8</xmin><ymin>1</ymin><xmax>14</xmax><ymax>3</ymax></bndbox></object>\n  <!-- <object><name>commented</name></object> -->\n</annotation>');
    writeFileSync(join(voc, 'b.xml'), '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n<annotation><filename>b.png</filename><object><name>&lol2;</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>2</xmax><ymax>2</ymax></bndbox></object></annotation>');
    writeFileSync(join(voc, 'c.xml'), '<annotation><filename>c.png</filename><object><name>x</name>\n<bndbox><xmin>1</xmin></object></annotation>');
    writeFileSync(join(voc, 'd.xml'), '<annotation><filename>d.png</filename><object><name>y</name><bndbox><xmin>one</xmin><ymin>1</ymin><xmax>2</xmax><ymax>2</ymax></bndbox></object></annotation>');
    const store = project();
    const report = await importVoc(store, 'set', voc, data);
    expect(report.problems.map((p) => [p.where, p.reason])).toEqual([
      ['c.xml', 'not well-formed XML (line 2, column 23)'],
      ['d.xml object 1', 'needs a bndbox with xmin <= xmax and ymin <= ymax'],
      ['a.xml object 1', 'the box [7, 0, 14, 3] reaches outside the 10 x 8 image; clipped to [7, 0, 10, 3]'],
    ]);
    expect(store.db.prepare('SELECT i.path, a.label, a.x0, a.x1 FROM annotations a JOIN images i ON i.id = a.image_id ORDER BY i.path').all()).toEqual([
      { path: 'a.png', label: 'R&D <ruler> é', x0: 7, x1: 10 },
      { path: 'b.png', label: '&lol2;', x0: 0, x1: 2 },
    ]);
    store.close();
  });
});
