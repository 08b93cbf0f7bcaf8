import { join } from 'node:path';
import Database from 'libsql';
import { describe, expect, it } from 'vitest';
import { DatasetImagesParams } from '../../../../src/shared/contract/project';
import { datasetImages } from '../../../../src/main/engine/project/dataset-images';
import { databaseAtSchema } from '../../../helpers/project-schema';
import { migrations } from '../../../../src/main/engine/project/migrations';
import { ProjectStore } from '../../../../src/main/engine/project/project-store';
import { inTransaction } from '../../../../src/main/engine/project/transaction';
import { tempDir } from '../../../helpers/tiny-models';

type Db = Database.Database;

/**
 * What `result_metric_order` must hold, worked out in JavaScript from `results` and `images`: one
 * row per result and metric whose value is not null, for metrics that parse as a JSON object, never
 * a key with a double quote; JSON's true and false are SQLite's 1 and 0.
 */
function expectedRows(db: Db): string[] {
  const results = db.prepare('SELECT r.run_id, r.image_id, r.metrics, i.path FROM results r JOIN images i ON i.id = r.image_id').all() as Array<{ run_id: number; image_id: number; metrics: string; path: string }>;
  const rows: string[] = [];
  for (const r of results) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(r.metrics);
    } catch {
      continue;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) continue;
    for (const [name, value] of Object.entries(parsed)) {
      if (name.includes('"') || value === null) continue;
      rows.push(JSON.stringify([Number(r.run_id), name, typeof value === 'boolean' ? Number(value) : value, r.path, Number(r.image_id)]));
    }
  }
  return rows.sort();
}

function storedRows(db: Db): string[] {
  const rows = db.prepare('SELECT run_id, name, value, path, image_id FROM result_metric_order').all() as Array<{ run_id: number; name: string; value: unknown; path: string; image_id: number }>;
  return rows.map((r) => JSON.stringify([Number(r.run_id), r.name, r.value, r.path, Number(r.image_id)])).sort();
}

/**
 * Metrics of every kind a results row may hold: figures, text, booleans, nulls, odd keys, and JSON
 * that is not an object; with `invalid`, also text that is not JSON (which the browser's general
 * query cannot sort by: only the second run has it).
 */
const metricsOf = (k: number, invalid: boolean): string =>
  [
    JSON.stringify({ auc: (k % 7) / 7, hit: k % 2 === 0, note: `n${k % 3}`, gone: null }),
    JSON.stringify({ 'pointing-game': k % 2, 'a.b': k, 'quote"d': 1 }),
    JSON.stringify({}),
    JSON.stringify([1, 2]),
    ...(invalid ? ['not json'] : []),
  ][k % (invalid ? 5 : 4)]!;

function fill(db: Db, images: number): void {
  db.prepare("INSERT INTO datasets (name, root, created_at) VALUES ('d', '/x', 'now'), ('e', '/y', 'now')").run();
  db.prepare(`INSERT INTO models (file, sha256, card) VALUES ('m.onnx', 'h', '{"output":{"labels":["a","b"]}}')`).run();
  db.prepare(`INSERT INTO runs (model_id, method, params, lumen_version, created_at) VALUES (1, 'gradient', '{"dataset":1}', 't', 'now'), (1, 'gradient', '{"dataset":2}', 't', 'now')`).run();
  const image = db.prepare('INSERT INTO images (dataset_id, path, width, height) VALUES (?, ?, 4, 4)');
  const result = db.prepare('INSERT INTO results (run_id, image_id, target, score, metrics) VALUES (?, ?, 0, 0.5, ?)');
  for (let k = 0; k < images; k++) {
    const id = Number(image.run(1, `img/${String((k * 37) % images).padStart(5, '0')}.png`).lastInsertRowid);
    if (k % 6 !== 5) result.run(1, id, metricsOf(k, false));
    const other = Number(image.run(2, `img/${String(k).padStart(5, '0')}.png`).lastInsertRowid);
    result.run(2, other, metricsOf(k + 1, true));
  }
}

describe('result_metric_order', () => {
  it('holds exactly the metric values of the results, whatever writes, changes or deletes them', () => {
    const store = ProjectStore.open(join(tempDir(), 'order'), { create: true });
    const db = store.db;
    try {
      fill(db, 60);
      const rows = storedRows(db);
      expect(rows.length).toBeGreaterThan(100);
      expect(rows).toEqual(expectedRows(db));
      // A key written twice in one object is one value, json_extract's (the first), as the browser's general query sorts by.
      db.prepare(`INSERT INTO results (run_id, image_id, target, metrics) VALUES (2, 1, 0, '{"auc": 0.25, "auc": 0.75}')`).run();
      expect(db.prepare('SELECT value FROM result_metric_order WHERE run_id = 2 AND image_id = 1').all()).toEqual([{ value: 0.25 }]);
      db.prepare('DELETE FROM results WHERE run_id = 2 AND image_id = 1').run();

      db.prepare(`UPDATE results SET metrics = '{"auc": 2, "fresh": 1}' WHERE id IN (1, 2, 3, 4)`).run();
      db.prepare("UPDATE images SET path = 'renamed/' || path WHERE id % 4 = 0").run();
      expect(storedRows(db)).toEqual(expectedRows(db));
      db.prepare('DELETE FROM results WHERE id % 5 = 1').run();
      expect(storedRows(db)).toEqual(expectedRows(db));
      // Deletions that cascade: an image (its results with it), a run, a dataset (its images and their results).
      db.prepare('DELETE FROM images WHERE id % 7 = 3').run();
      expect(storedRows(db)).toEqual(expectedRows(db));
      db.prepare('DELETE FROM runs WHERE id = 2').run();
      expect(storedRows(db)).toEqual(expectedRows(db));
      expect(storedRows(db).length).toBeGreaterThan(0);
      db.prepare("DELETE FROM datasets WHERE name = 'd'").run();
      expect(storedRows(db)).toEqual([]);
      expect(db.prepare('SELECT count(*) AS n FROM results').get()).toMatchObject({ n: 0 });
    } finally {
      store.close();
    }
  });

  it('pages of the images without a value (walked near their ends, kept as a list in the middle) follow every change to the results, on this connection or another', () => {
    const store = ProjectStore.open(join(tempDir(), 'changes'), { create: true });
    try {
      const images = 12_000;
      inTransaction(store.db, () => fill(store.db, images));
      const valued = Number((store.db.prepare("SELECT count(*) AS n FROM result_metric_order WHERE run_id = 1 AND name = 'note'").get() as { n: number }).n);
      const middle = valued + Math.floor((images - valued) / 2);
      const paths = (params: Record<string, unknown>) => datasetImages(store, DatasetImagesParams.parse({ project: store.folder, dataset: 'd', runId: 1, sort: 'note', offset: middle, limit: 10, ...params })).rows.map((r) => r.path);
      // A search that every path matches takes the general query, which sorts in SQL.
      for (const offset of [valued - 3, valued + 20, images - 25, images - 4]) {
        for (const descending of [false, true]) expect(paths({ offset, descending }), String(offset)).toEqual(paths({ offset, descending, search: 'img/' }));
      }
      const same = () => expect(paths({})).toEqual(paths({ search: 'img/' }));
      // Each change is first seen by `same`: the page that finds the list is checked, not only those that reuse it.
      same();
      const before = paths({});
      // An image on the page gets a value (this connection): it leaves the images without one.
      const { id } = store.db.prepare('SELECT r.id FROM results r JOIN images i ON i.id = r.image_id WHERE r.run_id = 1 AND i.path = ?').get(before[0]) as { id: number };
      store.db.prepare(`UPDATE results SET metrics = json_set(metrics, '$.note', 'zz') WHERE id = ?`).run(id);
      same();
      expect(paths({})).not.toEqual(before);
      // Another connection takes the value away again.
      const other = new Database(join(store.folder, 'project.db'));
      try {
        other.prepare(`UPDATE results SET metrics = json_remove(metrics, '$.note') WHERE id = ?`).run(id);
      } finally {
        other.close();
      }
      same();
      expect(paths({})).toEqual(before);
    } finally {
      store.close();
    }
  });

  it('a project made before it (schema version 5) is brought up to date: its data kept, the table filled, metric pages in the same order', () => {
    const dir = tempDir();
    const db = databaseAtSchema(join(dir, 'project.db'), 5);
    fill(db, 60);
    const before = db.prepare('SELECT * FROM results ORDER BY id').all();
    const images = db.prepare('SELECT * FROM images ORDER BY id').all();
    db.close();

    const store = ProjectStore.open(dir);
    try {
      expect(store.schemaVersion).toBe(migrations.length);
      expect(migrations.length).toBeGreaterThanOrEqual(6);
      expect(store.db.prepare('SELECT * FROM results ORDER BY id').all()).toEqual(before);
      expect(store.db.prepare('SELECT * FROM images ORDER BY id').all()).toEqual(images);
      expect(storedRows(store.db).length).toBeGreaterThan(100);
      expect(storedRows(store.db)).toEqual(expectedRows(store.db));
      const page = (params: Record<string, unknown>) => datasetImages(store, DatasetImagesParams.parse({ project: dir, dataset: 'd', runId: 1, limit: 20, ...params })).rows.map((r) => r.path);
      for (const sort of ['auc', 'hit', 'note', 'pointing-game', 'a.b']) {
        for (const descending of [false, true]) {
          for (const offset of [0, 15, 30, 45]) {
            // A search that every path matches takes the general query, which sorts in SQL.
            expect(page({ sort, descending, offset }), JSON.stringify({ sort, descending, offset })).toEqual(page({ sort, descending, offset, search: 'img/' }));
          }
        }
      }
    } finally {
      store.close();
    }
  });
});
