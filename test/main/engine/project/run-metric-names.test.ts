import { join } from 'node:path';
import Database from 'libsql';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../../src/main/engine/project/migrations';
import { ProjectStore } from '../../../../src/main/engine/project/project-store';
import { databaseAtSchema } from '../../../helpers/project-schema';
import { tempDir } from '../../../helpers/tiny-models';

type Db = Database.Database;

/** Each run's metric names as a scan of every result's JSON finds them (what the browser read before the table). */
function scannedNames(db: Db): string[] {
  const rows = db.prepare("SELECT DISTINCT r.run_id, CAST(j.key AS TEXT) AS name FROM results r, json_each(CASE WHEN json_valid(r.metrics) THEN r.metrics ELSE '{}' END) j").all() as Array<{ run_id: number; name: string }>;
  return rows.map((r) => `${r.run_id}:${r.name}`).sort();
}

const storedNames = (db: Db): string[] => (db.prepare('SELECT run_id, name FROM run_metric_names').all() as Array<{ run_id: number; name: string }>).map((r) => `${r.run_id}:${r.name}`).sort();

/** Metrics of every kind: figures, nulls, keys with quotes and dots, a key twice, JSON that is an array or not JSON at all. */
const metricsOf = (k: number): string =>
  [
    JSON.stringify({ auc: k / 7, gone: null }),
    JSON.stringify({ 'pointing-game': k % 2, 'a.b': k, 'quote"d': 1 }),
    '{"twice": 1, "twice": 2}',
    JSON.stringify([1, 2]),
    JSON.stringify({ 0: 'text key zero' }),
    'not json',
    JSON.stringify({}),
  ][k % 7]!;

function fill(db: Db, images: number): void {
  db.prepare("INSERT INTO datasets (name, root, created_at) VALUES ('d', '/x', 'now')").run();
  db.prepare(`INSERT INTO models (file, sha256, card) VALUES ('m.onnx', 'h', '{"output":{"labels":["a"]}}')`).run();
  db.prepare(`INSERT INTO runs (model_id, method, params, lumen_version, created_at) VALUES (1, 'gradient', '{"dataset":1}', 't', 'now'), (1, 'gradient', '{"dataset":1}', 't', 'now')`).run();
  const image = db.prepare('INSERT INTO images (dataset_id, path, width, height) VALUES (1, ?, 4, 4)');
  const result = db.prepare('INSERT INTO results (run_id, image_id, target, score, metrics) VALUES (?, ?, 0, 0.5, ?)');
  for (let k = 0; k < images; k++) {
    const id = Number(image.run(`img/${k}.png`).lastInsertRowid);
    result.run(1, id, metricsOf(k));
    if (k % 3 === 0) result.run(2, id, metricsOf(k + 1));
  }
}

describe('run_metric_names', () => {
  it('holds exactly the names a scan of the results finds, whatever writes, changes or deletes them', () => {
    const store = ProjectStore.open(join(tempDir(), 'names'), { create: true });
    const db = store.db;
    try {
      fill(db, 40);
      expect(storedNames(db)).toEqual(scannedNames(db));
      expect(storedNames(db)).toEqual(expect.arrayContaining(['1:0', '1:1', '1:gone', '1:quote"d', '1:twice', '2:auc']));
      db.prepare(`UPDATE results SET metrics = '{"fresh": 1}' WHERE id IN (1, 2, 3)`).run();
      db.prepare('UPDATE results SET run_id = 2 WHERE id = 4').run();
      expect(storedNames(db)).toEqual(scannedNames(db));
      db.prepare('DELETE FROM results WHERE id % 5 = 1').run();
      expect(storedNames(db)).toEqual(scannedNames(db));
      // Every result with a name gone: the name goes.
      db.prepare("DELETE FROM results WHERE metrics LIKE '%twice%'").run();
      expect(storedNames(db).some((n) => n.endsWith(':twice'))).toBe(false);
      expect(storedNames(db)).toEqual(scannedNames(db));
      // Deletions that cascade: images, a run, the dataset.
      db.prepare('DELETE FROM images WHERE id % 7 = 3').run();
      expect(storedNames(db)).toEqual(scannedNames(db));
      db.prepare('DELETE FROM runs WHERE id = 2').run();
      expect(storedNames(db)).toEqual(scannedNames(db));
      expect(storedNames(db).length).toBeGreaterThan(0);
      db.prepare("DELETE FROM datasets WHERE name = 'd'").run();
      expect(storedNames(db)).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('the check can fail: a name written past the triggers is seen', () => {
    const store = ProjectStore.open(join(tempDir(), 'past'), { create: true });
    try {
      fill(store.db, 10);
      store.db.exec('DROP TRIGGER run_metric_names_update');
      store.db.prepare(`UPDATE results SET metrics = '{"new": 1}' WHERE id = 1`).run();
      expect(storedNames(store.db)).not.toEqual(scannedNames(store.db));
    } finally {
      store.close();
    }
  });

  it('a project made before it (schema version 6) is brought up to date with its runs\' names, also where an array and an object give the same name', () => {
    const dir = tempDir();
    const db = databaseAtSchema(join(dir, 'project.db'), 6);
    fill(db, 40);
    db.close();
    const store = ProjectStore.open(dir);
    try {
      expect(store.schemaVersion).toBe(migrations.length);
      expect(storedNames(store.db)).toEqual(scannedNames(store.db));
      expect(store.db.prepare("SELECT results FROM run_metric_names WHERE run_id = 1 AND name = '0'").get()).toMatchObject({ results: 12 });
    } finally {
      store.close();
    }
  });
});
