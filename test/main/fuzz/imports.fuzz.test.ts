import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { importCoco } from '../../../src/main/engine/project/import/coco';
import { importCsv } from '../../../src/main/engine/project/import/csv';
import { importVoc } from '../../../src/main/engine/project/import/voc';
import type { ImportReport } from '../../../src/main/engine/project/import/report';
import { ProjectStore } from '../../../src/main/engine/project/project-store';
import { expectClearFailure, fuzzTimeout, mutatedText, runFuzz, sandbox, within, worked } from './harness';

/**
 * Dataset imports from users' CSV, COCO and VOC files. Each case imports into a fresh project in
 * its own folder, from a shared data root next to decoys: the import either reports (rows it could
 * not take are problems of one line each) or gives a clear error; the project stays sound; every
 * stored path lies inside the root; and nothing outside the case folder is written.
 */

const box = sandbox((folder) => {
  mkdirSync(join(folder, 'data', 'sub'), { recursive: true });
  copyFileSync('resources/samples/coffee.png', join(folder, 'data', 'a.png'));
  copyFileSync('resources/samples/rocket.jpg', join(folder, 'data', 'sub', 'b.jpg'));
});
const root = join(box.root, 'data');

// Fragments that hostile or careless files are made of (a NUL byte in a name made confine() throw
// a TypeError until it was fixed: found by this fuzzing).
const pathPieces = fc.constantFrom('a.png', 'sub/b.jpg', '../outside/x.png', '../../etc/passwd', '/etc/passwd', '..', './a.png', 'sub/../a.png', 'A.PNG', 'a.png\u0000', '%2e%2e/x', 'C:\\x.png', '~/x.png', '');

async function importCase(what: string, run: (store: ProjectStore, folder: string) => Promise<ImportReport>): Promise<void> {
  const folder = box.caseFolder();
  const store = ProjectStore.open(join(folder, 'project'), { create: true });
  try {
    const report = await within(10_000, what, run(store, folder));
    for (const p of report.problems) {
      if (/\n/.test(`${p.where}: ${p.reason}`)) throw new Error(`a problem of more than one line: ${JSON.stringify(p)}`);
    }
    const paths = store.db.prepare('SELECT path FROM images').all() as Array<{ path: string }>;
    for (const { path } of paths) {
      if (isAbsolute(path) || path.split(/[\\/]/).includes('..')) throw new Error(`stored a path outside the root: ${path}`);
    }
    worked();
  } catch (error) {
    if (error instanceof Error && error.name !== 'LumenError') throw error;
    expectClearFailure(error);
  } finally {
    const check = store.db.prepare('PRAGMA integrity_check').get() as Record<string, unknown>;
    store.close();
    if (Object.values(check)[0] !== 'ok') throw new Error(`the project database is damaged: ${JSON.stringify(check)}`);
  }
  box.checkOutside();
}

describe('fuzz: dataset imports', () => {
  it('CSV text', { timeout: fuzzTimeout(40, 300) }, async () => {
    const seeds = ['path,label\na.png,cup\nsub/b.jpg,rocket\n', 'a.png,cup,train\r\nsub/b.jpg,"rocket, big",val\r\n', '\ufeffpath,label,split\n"a.png","cup ""tall""",test\n'];
    const pieces = fc.oneof(pathPieces, fc.constantFrom('"', ',', '\n', '\r\n', '""', 'train', 'nope', ';', '\t'));
    await runFuzz(
      'imports: CSV',
      40,
      fc.asyncProperty(mutatedText(seeds, pieces, 5), (text) =>
        importCase('importing a CSV', (store, folder) => {
          const file = join(folder, 'labels.csv');
          writeFileSync(file, text);
          return importCsv(store, 'd', file, root);
        }),
      ),
    );
  });

  it('COCO JSON, as text and as structures', { timeout: fuzzTimeout(40, 300) }, async () => {
    const anyId = fc.oneof(fc.integer({ min: -2, max: 4 }), fc.constant(null), fc.constant('1'), fc.double());
    const structured = fc
      .record({
        images: fc.array(fc.record({ id: anyId, file_name: fc.oneof(pathPieces, fc.constant(null), fc.integer()) }), { maxLength: 4 }),
        annotations: fc.array(
          fc.record({ image_id: anyId, category_id: anyId, bbox: fc.oneof(fc.array(fc.double({ min: -1e6, max: 1e6 }), { maxLength: 5 }), fc.constant(null)) }),
          { maxLength: 4 },
        ),
        categories: fc.array(fc.record({ id: anyId, name: fc.oneof(fc.string({ maxLength: 8 }), fc.constant(null)) }), { maxLength: 3 }),
      })
      .map((coco) => JSON.stringify(coco));
    const seed = JSON.stringify({ images: [{ id: 1, file_name: 'a.png' }, { id: 2, file_name: 'sub/b.jpg' }], annotations: [{ image_id: 1, category_id: 7, bbox: [10, 10, 50, 40] }], categories: [{ id: 7, name: 'cup' }] });
    const text = mutatedText([seed], fc.constantFrom('null', '"', '{', '}', '[', ']', ',', '-1', '1e999', '"../x.png"', '"__proto__"'), 4);
    await runFuzz(
      'imports: COCO',
      40,
      fc.asyncProperty(fc.oneof(structured, text), (json) =>
        importCase('importing a COCO file', (store, folder) => {
          const file = join(folder, 'boxes.json');
          writeFileSync(file, json);
          return importCoco(store, 'd', file, root);
        }),
      ),
    );
  });

  it('Pascal VOC XML, entities included', { timeout: fuzzTimeout(40, 300) }, async () => {
    const seed =
      '<annotation><folder>x</folder><filename>a.png</filename><size><width>500</width><height>400</height></size>' +
      '<object><name>cup &amp; saucer</name><bndbox><xmin>10</xmin><ymin>20</ymin><xmax>200</xmax><ymax>300</ymax></bndbox></object>' +
      '<object><name>marker</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>9999</xmax><ymax>5</ymax></bndbox></object></annotation>';
    const pieces = fc.oneof(
      pathPieces,
      fc.constantFrom('<', '>', '</', '&lt;', '&#x41;', '&#0;', '&xxe;', '<!DOCTYPE a [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>', '<![CDATA[', ']]>', '<object>', '</object>', '-5', 'NaN', '1e309',
        // Made the whole import fail as a bug ("External entities are not supported") until fixed: found by this fuzzing.
        '<!DOCTYPE a [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'),
    );
    await runFuzz(
      'imports: VOC',
      40,
      fc.asyncProperty(fc.array(mutatedText([seed], pieces, 4), { minLength: 1, maxLength: 3 }), (files) =>
        importCase('importing VOC files', (store, folder) => {
          const xml = join(folder, 'voc');
          mkdirSync(xml);
          files.forEach((text, i) => writeFileSync(join(xml, `${i}.xml`), text));
          return importVoc(store, 'd', xml, root);
        }),
      ),
    );
  });
});
