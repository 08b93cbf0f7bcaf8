import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetImagesParams } from '../../../../src/shared/contract/project';
import { datasetImages } from '../../../../src/main/engine/project/dataset-images';
import { ProjectStore } from '../../../../src/main/engine/project/project-store';
import { tempDir } from '../../../helpers/tiny-models';

const count = 600;
let store: ProjectStore;

/**
 * A result's metrics: `mass` with four values (large ties), `auc` with many values, some ties and
 * some JSON nulls, `hit` (0 or 1) on two images in three, `note` a string on some images and a
 * number on others (SQLite orders numbers before text).
 */
function metricsOf(id: number): Record<string, unknown> {
  return {
    mass: (id % 4) / 4,
    auc: id % 13 === 0 ? null : Math.round(((id * 7919) % 1000) / 10) / 100,
    ...(id % 3 === 0 ? {} : { hit: id % 2 }),
    ...(id % 5 === 0 ? { note: id % 2 === 0 ? `n${id % 17}` : id % 6 } : {}),
  };
}

/**
 * A dataset whose ids are not in path order, with labels differing only in case, unlabelled
 * images, and a run (of this dataset) with many equal scores, null scores and images without a
 * result; a second dataset shares the tables.
 */
beforeAll(() => {
  store = ProjectStore.open(join(tempDir(), 'paging'), { create: true });
  const db = store.db;
  db.prepare("INSERT INTO datasets (name, root, created_at) VALUES ('d', '/x', 'now'), ('other', '/y', 'now')").run();
  db.exec('BEGIN');
  const image = db.prepare('INSERT INTO images (dataset_id, path, width, height, label) VALUES (?, ?, 4, 4, ?)');
  const labels = ['Cat', 'cat', 'dog', null, 'Emu', 'ant'];
  for (let k = 0; k < count; k++) {
    const n = (k * 389) % count; // ids in a shuffled path order
    image.run(1, `img/${String(n).padStart(4, '0')}.png`, labels[n % labels.length]);
    if (k % 5 === 0) image.run(2, `img/${String(n).padStart(4, '0')}.png`, 'cat');
  }
  db.prepare(`INSERT INTO models (file, sha256, card) VALUES ('m.onnx', 'h', '{"output":{"labels":["zebra","Apple","apple"]}}')`).run();
  db.prepare(`INSERT INTO runs (model_id, method, params, lumen_version, created_at) VALUES (1, 'gradient', '{"dataset":1}', 't', 'now')`).run();
  const result = db.prepare('INSERT INTO results (run_id, image_id, target, score, metrics) VALUES (1, ?, ?, ?, ?)');
  for (const { id } of db.prepare('SELECT id FROM images WHERE dataset_id = 1').all() as Array<{ id: number }>) {
    if (id % 9 === 0) continue; // no result
    result.run(id, id % 4, id % 11 === 0 ? null : (id % 7) / 7, JSON.stringify(metricsOf(id)));
  }
  db.exec('COMMIT');
});

afterAll(() => store.close());

const page = (params: Record<string, unknown>) => datasetImages(store, DatasetImagesParams.parse({ project: store.folder, dataset: 'd', limit: 50, ...params }));

/** The SQL a call prepares, with the arguments each statement ran with. */
function statementsOf(call: () => void): Array<{ sql: string; args: unknown[] }> {
  const seen: Array<{ sql: string; args: unknown[] }> = [];
  const db = store.db;
  const prepare = db.prepare;
  db.prepare = ((sql: string) => {
    const statement = prepare.call(db, sql);
    for (const method of ['all', 'get'] as const) {
      const original = statement[method].bind(statement) as (...args: unknown[]) => unknown;
      (statement as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        seen.push({ sql, args });
        return original(...args);
      };
    }
    return statement;
  }) as typeof db.prepare;
  try {
    call();
  } finally {
    db.prepare = prepare;
  }
  return seen;
}

/** SQLite's plan for every statement of a call, as lines; `unless` leaves out the statements it matches. */
function plansOf(call: () => void, unless?: RegExp): string[] {
  return statementsOf(call)
    .filter((s) => !/^\s*PRAGMA/i.test(s.sql) && !(unless && unless.test(s.sql)))
    .flatMap(({ sql, args }) => (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as Array<{ detail: string }>).map((r) => r.detail));
}

/** The predicted label's statements that sort: the run's classes by label, and one class's images by path. */
const perClass = /GROUP BY target|target IN/;

describe('dataset pages walked on an index', () => {
  const sorts = [
    { sort: 'path' },
    { sort: 'label' },
    { sort: 'series' },
    { sort: 'path', runId: 1 },
    { sort: 'label', runId: 1 },
    { sort: 'confidence', runId: 1 },
    { sort: 'confidence' },
    { sort: 'predicted', runId: 1 },
    { sort: 'predicted' },
    { sort: 'mass', runId: 1 },
    { sort: 'auc', runId: 1 },
    { sort: 'hit', runId: 1 },
    { sort: 'note', runId: 1 },
  ];

  it('give exactly the rows of the sorting query, for every sort, direction and page (nulls last, ties by path)', () => {
    for (const sort of sorts) {
      for (const descending of [false, true]) {
        for (const offset of [0, 37, 199, 333, 470, 560, 599]) {
          const fast = page({ ...sort, descending, offset });
          // A search that every path matches takes the general query, which sorts in SQL.
          const sorted = page({ ...sort, descending, offset, search: 'img/' });
          expect(fast.total).toBe(count);
          expect(fast.rows.map((r) => [r.path, r.label, r.confidence]), JSON.stringify({ ...sort, descending, offset })).toEqual(sorted.rows.map((r) => [r.path, r.label, r.confidence]));
        }
      }
    }
  });

  it('sort no whole dataset: SQLite plans no temporary B-tree for the order (only the run\'s classes by label, and a group of classes whose labels differ only in case, are sorted)', () => {
    for (const sort of sorts) {
      for (const descending of [false, true]) {
        const plans = plansOf(() => page({ ...sort, descending, offset: 300 }), perClass);
        expect(plans.length).toBeGreaterThan(0);
        expect(plans.filter((p) => /USE TEMP B-TREE FOR ORDER BY/.test(p)), JSON.stringify(sort)).toEqual([]);
        // Not even ties are sorted (their rows are walked in path order).
        expect(plans.filter((p) => /TEMP B-TREE/.test(p)), JSON.stringify(sort)).toEqual([]);
        expect(plans.filter((p) => /^SCAN (images|results|result_order|result_metric_order)\b/.test(p)), JSON.stringify(sort)).toEqual([]);
      }
    }
  });

  it('sort by a metric as a plain sort of the stored values does (numbers before text, ties by path, images without a value last by path)', () => {
    const stored = store.db.prepare('SELECT i.path, r.metrics FROM images i LEFT JOIN results r ON r.image_id = i.id AND r.run_id = 1 WHERE i.dataset_id = 1').all() as Array<{ path: string; metrics: string | null }>;
    const rank = (v: number | string): [number, number | string] => (typeof v === 'number' ? [0, v] : [1, v]);
    const byValue = (a: number | string, b: number | string): number => {
      const [x, y] = [rank(a), rank(b)];
      return x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0);
    };
    const byPath = (a: { path: string }, b: { path: string }): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
    for (const name of ['mass', 'auc', 'hit', 'note']) {
      const values = stored.map((r) => ({ path: r.path, value: r.metrics === null ? undefined : ((JSON.parse(r.metrics) as Record<string, number | string | null>)[name] ?? undefined) }));
      const valued = values.filter((v): v is { path: string; value: number | string } => v.value !== undefined);
      const missing = values.filter((v) => v.value === undefined).sort(byPath);
      expect(missing.length, name).toBeGreaterThan(0);
      for (const descending of [false, true]) {
        const expected = [...[...valued].sort((a, b) => (descending ? -1 : 1) * byValue(a.value, b.value) || byPath(a, b)), ...missing].map((v) => v.path);
        const walked: string[] = [];
        for (let offset = 0; offset < count; offset += 45) walked.push(...page({ sort: name, runId: 1, descending, offset, limit: 45 }).rows.map((r) => r.path));
        expect(walked, `${name}${descending ? ' descending' : ''}`).toEqual(expected);
      }
    }
  });

  it('sort by a metric on any page (the start, within ties, where the values end, among the images without one) without a temporary B-tree or a scan', () => {
    for (const sort of ['mass', 'auc', 'hit', 'note']) {
      for (const descending of [false, true]) {
        for (const offset of [0, 130, 290, 380, 395, 560]) {
          const plans = plansOf(() => page({ sort, runId: 1, descending, offset }));
          expect(plans.filter((p) => /TEMP B-TREE|^SCAN (images|results|result_metric_order)\b/.test(p)), JSON.stringify({ sort, descending, offset })).toEqual([]);
        }
      }
    }
  });

  it('the predicted label sorts only the run\'s classes by label, and the images of a group of classes whose labels differ only in case; a class of its own is walked in path order', () => {
    // Four classes: zebra (0), Apple (1) and apple (2) (one group), class 3. Ascending: Apple/apple, class 3, zebra.
    const groupSize = Number((store.db.prepare('SELECT count(*) AS n FROM results WHERE run_id = 1 AND target IN (1, 2)').get() as { n: number }).n);
    const inGroup = statementsOf(() => page({ sort: 'predicted', runId: 1, offset: 10 })).filter((s) => /target IN/.test(s.sql));
    expect(inGroup.map((s) => JSON.parse(String(s.args[1])) as number[])).toEqual([[1, 2]]);
    for (const offset of [groupSize + 5, groupSize + 150, 500]) {
      const statements = statementsOf(() => page({ sort: 'predicted', runId: 1, offset }));
      expect(statements.filter((s) => /target IN/.test(s.sql))).toEqual([]);
      const plans = plansOf(() => page({ sort: 'predicted', runId: 1, offset }), /GROUP BY target/);
      expect(plans.filter((p) => /TEMP B-TREE|^SCAN (images|results|result_order)\b/.test(p)), String(offset)).toEqual([]);
    }
    expect(plansOf(() => page({ sort: 'predicted', runId: 1, offset: 10 })).some((p) => /USE TEMP B-TREE FOR ORDER BY/.test(p))).toBe(true);
  });

  it('sort by confidence on any page (the start, within ties, where the scores end, among the images without one) without a temporary B-tree or a scan', () => {
    for (const descending of [false, true]) {
      for (const offset of [0, 130, 290, 380, 470, 520, 560]) {
        const plans = plansOf(() => page({ sort: 'confidence', runId: 1, descending, offset }));
        expect(plans.filter((p) => /TEMP B-TREE|^SCAN (images|results|result_order)\b/.test(p)), JSON.stringify({ descending, offset })).toEqual([]);
      }
    }
  });

  it('the check can fail: a filtered page is sorted by SQL', () => {
    expect(plansOf(() => page({ sort: 'mass', runId: 1, offset: 300, search: 'img' })).some((p) => /USE TEMP B-TREE FOR ORDER BY/.test(p))).toBe(true);
    expect(plansOf(() => page({ sort: 'label', search: 'img', offset: 300 })).some((p) => /USE TEMP B-TREE FOR ORDER BY/.test(p))).toBe(true);
  });

  it('a run whose results are not known to be this dataset\'s is sorted by SQL, the same rows', () => {
    store.db.prepare(`INSERT INTO runs (model_id, method, params, lumen_version, created_at) VALUES (1, 'gradient', '{}', 't', 'now')`).run();
    store.db.prepare('INSERT INTO results (run_id, image_id, target, score, metrics) SELECT 2, image_id, target, score, metrics FROM results WHERE run_id = 1').run();
    const other = page({ sort: 'confidence', runId: 2, descending: true, offset: 100 });
    expect(other.rows.map((r) => r.path)).toEqual(page({ sort: 'confidence', runId: 1, descending: true, offset: 100 }).rows.map((r) => r.path));
    expect(plansOf(() => page({ sort: 'confidence', runId: 2, offset: 100 })).some((p) => /USE TEMP B-TREE FOR ORDER BY/.test(p))).toBe(true);
  });
});
