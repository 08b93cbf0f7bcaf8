import { join } from 'node:path';
import Database from 'libsql';
import { describe, expect, it } from 'vitest';
import { DatasetImagesParams } from '../../../../src/shared/contract/project';
import { datasetImages } from '../../../../src/main/engine/project/dataset-images';
import { migrations } from '../../../../src/main/engine/project/migrations';
import { ProjectStore } from '../../../../src/main/engine/project/project-store';
import { databaseAtSchema } from '../../../helpers/project-schema';
import { tempDir } from '../../../helpers/tiny-models';

type Db = Database.Database;

/** What `result_order` must hold, worked out from `results` and `images`: one row per result, with its image's path. */
function expectedRows(db: Db): unknown[] {
  return db.prepare('SELECT r.image_id, r.run_id, r.target, r.score, i.path FROM results r JOIN images i ON i.id = r.image_id ORDER BY r.image_id, r.run_id').all();
}

const storedRows = (db: Db): unknown[] => db.prepare('SELECT image_id, run_id, target, score, path FROM result_order ORDER BY image_id, run_id').all();

/** Two datasets, a run of each; results with equal and null scores, some images without one. */
function fill(db: Db, images: number): void {
  db.prepare("INSERT INTO datasets (name, root, created_at) VALUES ('d', '/x', 'now'), ('e', '/y', 'now')").run();
  db.prepare(`INSERT INTO models (file, sha256, card) VALUES ('m.onnx', 'h', '{"output":{"labels":["b","a","c"]}}')`).run();
  db.prepare(`INSERT INTO runs (model_id, method, params, lumen_version, created_at) VALUES (1, 'gradient', '{"dataset":1}', 't', 'now'), (1, 'gradient', '{"dataset":2}', 't', 'now')`).run();
  const image = db.prepare('INSERT INTO images (dataset_id, path, width, height) VALUES (?, ?, 4, 4)');
  const result = db.prepare('INSERT INTO results (run_id, image_id, target, score) VALUES (?, ?, ?, ?)');
  for (let k = 0; k < images; k++) {
    const id = Number(image.run(1, `img/${String((k * 37) % images).padStart(5, '0')}.png`).lastInsertRowid);
    if (k % 6 !== 5) result.run(1, id, k % 3, k % 7 === 0 ? null : (k % 5) / 5);
    const other = Number(image.run(2, `img/${String(k).padStart(5, '0')}.png`).lastInsertRowid);
    result.run(2, other, k % 2, 0.5);
  }
}

describe('result_order', () => {
  it('holds exactly the results with their paths, whatever writes, changes or deletes them', () => {
    const store = ProjectStore.open(join(tempDir(), 'order'), { create: true });
    const db = store.db;
    try {
      fill(db, 60);
      expect(storedRows(db).length).toBe(110);
      expect(storedRows(db)).toEqual(expectedRows(db));
      db.prepare('UPDATE results SET target = 2, score = 0.125 WHERE id IN (1, 2, 3)').run();
      db.prepare('UPDATE results SET score = NULL WHERE id = 4').run();
      db.prepare("UPDATE images SET path = 'renamed/' || path WHERE id % 4 = 0").run();
      expect(storedRows(db)).toEqual(expectedRows(db));
      // A result moved to another image and run.
      const free = db.prepare('SELECT id FROM images WHERE dataset_id = 1 AND id NOT IN (SELECT image_id FROM results WHERE run_id = 2) LIMIT 1').get() as { id: number };
      db.prepare('UPDATE results SET run_id = 2, image_id = ? WHERE id = 5').run(free.id);
      expect(storedRows(db)).toEqual(expectedRows(db));
      // An update that writes the same values changes nothing.
      db.prepare('UPDATE results SET target = target, score = score').run();
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

  it('the check can fail: a result written past the trigger is seen', () => {
    const store = ProjectStore.open(join(tempDir(), 'past'), { create: true });
    try {
      fill(store.db, 10);
      store.db.exec('DROP TRIGGER result_order_update');
      store.db.prepare('UPDATE results SET target = 9 WHERE id = 1').run();
      expect(storedRows(store.db)).not.toEqual(expectedRows(store.db));
    } finally {
      store.close();
    }
  });

  it('a project made before it (schema version 6) is brought up to date: its data kept, the table filled, pages in the same order', () => {
    const dir = tempDir();
    const db = databaseAtSchema(join(dir, 'project.db'), 6);
    fill(db, 60);
    const before = db.prepare('SELECT * FROM results ORDER BY id').all();
    db.close();

    const store = ProjectStore.open(dir);
    try {
      expect(store.schemaVersion).toBe(migrations.length);
      expect(migrations.length).toBeGreaterThanOrEqual(7);
      expect(store.db.prepare('SELECT * FROM results ORDER BY id').all()).toEqual(before);
      expect(storedRows(store.db).length).toBe(110);
      expect(storedRows(store.db)).toEqual(expectedRows(store.db));
      const page = (params: Record<string, unknown>) => datasetImages(store, DatasetImagesParams.parse({ project: dir, dataset: 'd', runId: 1, limit: 20, ...params })).rows.map((r) => r.path);
      for (const sort of ['predicted', 'confidence']) {
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
