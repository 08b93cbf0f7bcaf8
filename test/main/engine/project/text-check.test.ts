import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { describe, expect, it } from 'vitest';
import { ProjectStore } from '../../../../src/main/engine/project/project-store';
import { failure } from '../../../helpers/failure';

/** A closed project with `rows` images in one dataset, the database written by the real store. */
function projectWithImages(rows: number): string {
  const folder = join(mkdtempSync(join(tmpdir(), 'lumen-text-check-')), 'study');
  const store = ProjectStore.open(folder, { create: true });
  store.db.prepare('INSERT INTO datasets (name, root, created_at) VALUES (?, ?, ?)').run('xrays', '/data/xrays', new Date().toISOString());
  const insert = store.db.prepare('INSERT INTO images (dataset_id, path, label) VALUES (1, ?, ?)');
  store.db.exec('BEGIN');
  for (let i = 0; i < rows; i++) insert.run(`patient-${i}/é-${i}.png`, i % 2 ? 'effusion' : 'normal');
  store.db.exec('COMMIT');
  store.close();
  return folder;
}

/** Bytes that are not UTF-8 stored as TEXT, as one flipped bit in a damaged file leaves them. */
function damageText(folder: string, sql: string): void {
  const db = new Database(join(folder, 'project.db'));
  db.exec(sql);
  db.close();
}

describe('text that is not UTF-8 in project.db', () => {
  // libsql panics on reading such a value and the whole engine process aborts (found by fuzzing).
  it('is a damaged project at open, naming the column, and the process lives on', async () => {
    const folder = projectWithImages(3);
    damageText(folder, "UPDATE images SET label = CAST(x'c328' AS TEXT) WHERE id = 2");
    const error = await failure(Promise.resolve().then(() => ProjectStore.open(folder)));
    expect(error.code).toBe('damaged-project');
    expect(error.message).toMatch(/is damaged \(a text value in images\.label is not valid UTF-8\)/);
    expect(error.message.split('\n')).toHaveLength(1);
    expect(readdirSync(folder).filter((f) => f.includes('.damaged-'))).toHaveLength(1);
  });

  it('in the schema itself (a name SQLite quotes in its messages) is damage too', async () => {
    const folder = projectWithImages(1);
    // A byte that is not UTF-8 inside a comment of a table's CREATE text: SQLite still parses it.
    damageText(folder, "CREATE TABLE my_notes (body TEXT /* x */); PRAGMA writable_schema = ON; UPDATE sqlite_master SET sql = CAST(x'435245415445205441424c45206d795f6e6f7465732028626f64792054455854202f2a20ff202a2f29' AS TEXT) WHERE name = 'my_notes'; PRAGMA writable_schema = OFF;");
    const error = await failure(Promise.resolve().then(() => ProjectStore.open(folder)));
    expect(error).toMatchObject({ code: 'damaged-project' });
    expect(error.message).toMatch(/its schema text is not valid UTF-8/);
  });

  it('leaves a sound project alone, with non-ASCII text, and checks 20,000 images quickly', () => {
    const folder = projectWithImages(20_000);
    damageText(folder, "UPDATE images SET label = 'normal' WHERE id = 1"); // written elsewhere: scanned at the next open
    const t0 = performance.now();
    const store = ProjectStore.open(folder);
    const ms = performance.now() - t0;
    expect(store.db.prepare('SELECT count(*) AS n FROM images').get()).toMatchObject({ n: 20_000 });
    store.close();
    const t1 = performance.now();
    ProjectStore.open(folder).close(); // unchanged since the check: not scanned again
    const again = performance.now() - t1;
    console.log(`open with the text check, 20,000 images: ${ms.toFixed(0)} ms; again, unchanged: ${again.toFixed(0)} ms`);
    expect(ms).toBeLessThan(5_000);
  });

  it('is checked again when the file changed after a check', async () => {
    const folder = projectWithImages(3);
    ProjectStore.open(folder).close();
    damageText(folder, "UPDATE images SET label = CAST(x'ff' AS TEXT) WHERE id = 3");
    const error = await failure(Promise.resolve().then(() => ProjectStore.open(folder)));
    expect(error.message).toMatch(/a text value in images\.label is not valid UTF-8/);
  });
});
