import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'libsql';
import { LumenError } from '../../../shared/errors';
import { confine } from '../paths/confine';
import { databaseFile, ProjectStore } from './project-store';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** `i/N` as a shard, checked. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const [index, count] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (!m || count < 1 || index < 1 || index > count) throw new LumenError('invalid-argument', `--shard ${text} is not i/N with 1 <= i <= N.`, 'E.g. --shard 3/8 for the third of eight shards.');
  return { index, count };
}

function openMainReadOnly(project: string): Database.Database {
  const path = join(resolve(project), databaseFile);
  if (!existsSync(path)) throw new LumenError('not-found', `${resolve(project)} is not a Lumen project (no ${databaseFile}).`);
  // Read-only and without the project lock: many shards read the project at once, none writes it.
  return new Database(path, { readonly: true });
}

/**
 * A shard's own project: `<project>/shards/<dataset>-<i>-of-<N>/`, holding the dataset row, the
 * images of its slice (every N-th image in path order, starting at the i-th; the same ids as in
 * the project) and their annotations. The shard's audit writes there; `mergeShards` brings the
 * results back. Deterministic: the same dataset and N always give the same slices.
 */
export function openShard(project: string, dataset: string, shard: Shard, limit: number | undefined): ProjectStore {
  const main = openMainReadOnly(project);
  try {
    const source = main.prepare('SELECT * FROM datasets WHERE name = ?').get(dataset) as Record<string, unknown> | undefined;
    if (!source) throw new LumenError('not-found', `There is no dataset "${dataset}" in ${resolve(project)}.`, 'Import it first (lumen import).');
    let images = main.prepare('SELECT * FROM images WHERE dataset_id = ? ORDER BY path').all(source['id']) as Array<Record<string, unknown>>;
    if (limit) images = images.slice(0, limit);
    const slice = images.filter((_, k) => k % shard.count === shard.index - 1);
    const store = ProjectStore.open(join(resolve(project), 'shards', `${dataset}-${shard.index}-of-${shard.count}`), { create: true });
    const copy = (table: string, rows: Array<Record<string, unknown>>): void => {
      for (const row of rows) {
        const { _metadata, ...values } = row;
        void _metadata;
        const columns = Object.keys(values);
        store.db.prepare(`INSERT OR REPLACE INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`).run(...Object.values(values));
      }
    };
    store.db.transaction(() => {
      copy('datasets', [source]);
      copy('images', slice);
      for (const image of slice) copy('annotations', main.prepare('SELECT * FROM annotations WHERE image_id = ?').all(image['id']) as Array<Record<string, unknown>>);
    })();
    return store;
  } finally {
    main.close();
  }
}

/**
 * Brings every shard's results into the project: runs are matched by model, method and
 * parameters, results by (run, image); results already there are left as they are, so merging
 * twice (or a shard that was already merged) changes nothing. Map artifacts are copied along.
 */
export function mergeShards(project: string): { shards: number; added: number; unchanged: number } {
  const store = ProjectStore.open(project);
  try {
    const folder = join(store.folder, 'shards');
    const shards = existsSync(folder) ? readdirSync(folder).filter((d) => existsSync(join(folder, d, databaseFile))).sort() : [];
    if (shards.length === 0) throw new LumenError('not-found', `${store.folder} has no shards to merge.`, 'Run audits with --shard i/N first.');
    const db = store.db;
    let added = 0;
    let unchanged = 0;
    for (const name of shards) {
      const shard = new Database(join(folder, name, databaseFile), { readonly: true });
      try {
        db.transaction(() => {
          for (const run of shard.prepare('SELECT r.*, m.sha256, m.file, m.card FROM runs r JOIN models m ON m.id = r.model_id').all() as Array<Record<string, string | number>>) {
            db.prepare('INSERT OR IGNORE INTO models (file, sha256, card) VALUES (?, ?, ?)').run(run['file'], run['sha256'], run['card']);
            const modelId = (db.prepare('SELECT id FROM models WHERE sha256 = ?').get(run['sha256']) as { id: number }).id;
            let target = db.prepare('SELECT id FROM runs WHERE model_id = ? AND method = ? AND params = ?').get(modelId, run['method'], run['params']) as { id: number } | undefined;
            if (!target) {
              const id = db.prepare('INSERT INTO runs (model_id, method, params, seed, lumen_version, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(modelId, run['method'], run['params'], run['seed'], run['lumen_version'], run['created_at']).lastInsertRowid;
              target = { id: Number(id) };
            }
            for (const result of shard.prepare('SELECT * FROM results WHERE run_id = ?').all(run['id']) as Array<Record<string, string | number | null>>) {
              const artifact = result['map_artifact'] ? `run-${target.id}/${result['image_id']}.npy` : null;
              const changes = db
                .prepare('INSERT OR IGNORE INTO results (run_id, image_id, target, score, map_artifact, metrics) VALUES (?, ?, ?, ?, ?, ?)')
                .run(target.id, result['image_id'], result['target'], result['score'], artifact, result['metrics']).changes;
              if (changes === 0) {
                unchanged++;
                continue;
              }
              added++;
              if (artifact) {
                // The shard's database names the file: it must really be in the shard's artifacts.
                const from = confine(join(folder, name, 'artifacts'), String(result['map_artifact']));
                if (from === null) throw new LumenError('damaged-project', `Shard ${name} names a map outside its artifacts folder (${String(result['map_artifact'])}).`, 'Re-run that shard; its database was changed by something other than Lumen.');
                const to = join(store.artifacts, artifact);
                mkdirSync(dirname(to), { recursive: true });
                copyFileSync(from, to);
              }
            }
          }
        })();
      } finally {
        shard.close();
      }
    }
    return { shards: shards.length, added, unchanged };
  } finally {
    store.close();
  }
}
