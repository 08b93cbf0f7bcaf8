import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, rmSync, statfsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'libsql';
import type { MergeCounts } from '../../../shared/contract/dataset-import';
import { LumenError } from '../../../shared/errors';
import { confine } from '../paths/confine';
import { diskFullText, freeMegabytes, isDiskFull } from './disk-full';
import { databaseFile, ProjectStore } from './project-store';
import { withOpenProject } from './open-project';
import { inTransaction } from './transaction';

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

/**
 * A SQLite file opened so that no statement can change it (SQLITE_READONLY). libsql ignores
 * `{ readonly: true }` and opens such a connection read-write; a `mode=ro` URI is obeyed.
 */
export function openDatabaseReadOnly(path: string): Database.Database {
  return new Database(`${pathToFileURL(path).href}?mode=ro`);
}

function openMainReadOnly(project: string): Database.Database {
  const path = join(resolve(project), databaseFile);
  if (!existsSync(path)) throw new LumenError('not-found', `${resolve(project)} is not a Lumen project (no ${databaseFile}).`);
  // Read-only and without the project lock: many shards read the project at once, none writes it.
  return openDatabaseReadOnly(path);
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
    // An upsert, not INSERT OR REPLACE: replacing an image row would delete it first, and with it
    // (ON DELETE CASCADE) the results a resumed shard audit already has.
    const statements = new Map<string, Database.Statement<unknown[]>>();
    const copy = (table: string, rows: Array<Record<string, unknown>>): void => {
      for (const row of rows) {
        const { _metadata, ...values } = row;
        void _metadata;
        const columns = Object.keys(values);
        const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT(id) DO UPDATE SET ${columns
          .filter((c) => c !== 'id')
          .map((c) => `${c} = excluded.${c}`)
          .join(', ')}`;
        // One statement per table and set of columns (a shard of a large dataset has thousands of rows).
        let statement = statements.get(sql);
        if (!statement) {
          statement = store.db.prepare<unknown[]>(sql);
          statements.set(sql, statement);
        }
        statement.run(...Object.values(values));
      }
    };
    try {
      inTransaction(store.db, () => {
        copy('datasets', [source]);
        copy('images', slice);
        const annotationsOf = main.prepare('SELECT * FROM annotations WHERE image_id = ?');
        for (const image of slice) copy('annotations', annotationsOf.all(image['id']) as Array<Record<string, unknown>>);
      });
    } catch (error) {
      store.close();
      if (isDiskFull(error)) throw shardDiskFull(store.folder, error);
      throw error;
    }
    return store;
  } finally {
    main.close();
  }
}

/**
 * A full disk while copying the shard's slice: its transaction was rolled back, nothing else was
 * written, and the same audit command makes the shard once there is room. Said as an audit that
 * could not start says it (openShard is synchronous, hence the synchronous free-space query).
 */
function shardDiskFull(folder: string, error: unknown): LumenError {
  let free: number | null = null;
  try {
    const s = statfsSync(folder);
    free = Math.round((Number(s.bavail) * Number(s.bsize)) / 1e5) / 10;
  } catch {
    // Unknown: the message says only that the disk is full.
  }
  return new LumenError(
    'invalid-argument',
    `The audit could not start: ${diskFullText(free)} on ${folder}; the project is unchanged.`,
    'Free some space on that disk, then run the same command again to resume.',
    { code: (error as { code?: unknown }).code ?? null, freeMegabytes: free, path: folder },
  );
}

export type { MergeCounts } from '../../../shared/contract/dataset-import';

/**
 * Brings every shard's results into the project: runs are matched by model, method and
 * parameters, results by (run, image); results already there are left as they are, so merging
 * twice (or a shard that was already merged) changes nothing. Map artifacts are copied along.
 */
export async function mergeShards(project: string): Promise<MergeCounts> {
  return withOpenProject(project, mergeShardsInto);
}

/**
 * `mergeShards` into a project already open. Each shard is merged in one transaction: a full disk
 * stops the merge with the space left, keeps the shards merged before, and the same command
 * finishes the merge once there is room (merging is idempotent).
 */
export async function mergeShardsInto(store: ProjectStore): Promise<MergeCounts> {
  store.assertWritable('merge shards');
  const folder = join(store.folder, 'shards');
  const shards = existsSync(folder) ? readdirSync(folder).filter((d) => existsSync(join(folder, d, databaseFile))).sort() : [];
  if (shards.length === 0) throw new LumenError('not-found', `${store.folder} has no shards to merge.`, 'Run audits with --shard i/N first.');
  const counts: MergeCounts = { shards: shards.length, added: 0, unchanged: 0 };
  for (const [k, name] of shards.entries()) {
    try {
      const merged = mergeShard(store, join(folder, name), name);
      counts.added += merged.added;
      counts.unchanged += merged.unchanged;
    } catch (error) {
      if (isDiskFull(error)) throw await diskFullDuringMerge(store, name, k, shards.length, error);
      throw error;
    }
  }
  return counts;
}

/** One shard's runs, results and maps, in one transaction (rolled back whole if anything fails). */
function mergeShard(store: ProjectStore, shardFolder: string, name: string): { added: number; unchanged: number } {
  const db = store.db;
  const shard = openDatabaseReadOnly(join(shardFolder, databaseFile));
  let added = 0;
  let unchanged = 0;
  try {
    const insertResult = db.prepare('INSERT OR IGNORE INTO results (run_id, image_id, target, score, map_artifact, metrics) VALUES (?, ?, ?, ?, ?, ?)');
    const madeFolders = new Set<string>();
    inTransaction(db, () => {
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
          const changes = insertResult.run(target.id, result['image_id'], result['target'], result['score'], artifact, result['metrics']).changes;
          if (changes === 0) {
            unchanged++;
            continue;
          }
          added++;
          if (artifact) {
            // The shard's database names the file: it must really be in the shard's artifacts.
            const from = confine(join(shardFolder, 'artifacts'), String(result['map_artifact']));
            if (from === null) throw new LumenError('damaged-project', `Shard ${name} names a map outside its artifacts folder (${String(result['map_artifact'])}).`, 'Re-run that shard; its database was changed by something other than Lumen.');
            const to = join(store.artifacts, artifact);
            if (!madeFolders.has(dirname(to))) {
              mkdirSync(dirname(to), { recursive: true });
              madeFolders.add(dirname(to));
            }
            bringMap(from, to);
          }
        }
      }
    });
  } finally {
    shard.close();
  }
  return { added, unchanged };
}

/**
 * A shard's map into the project: hard-linked where both are on one file system (a run of 100,000
 * images has 20 GB of maps: copying them was most of a merge), copied otherwise. Shards write maps
 * by rename, so a later write in the shard never changes the project's. A map brought for a shard
 * whose transaction then failed is replaced by the next merge.
 */
function bringMap(from: string, to: string): void {
  try {
    linkSync(from, to);
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') rmSync(to, { force: true });
    else if (!['EXDEV', 'EPERM', 'EMLINK', 'ENOTSUP', 'EOPNOTSUPP'].includes(String((error as NodeJS.ErrnoException).code))) throw error;
  }
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

/** SQLITE_FULL or ENOSPC while merging shard `index` (0-based) of `count`: what was kept and what to do. */
async function diskFullDuringMerge(store: ProjectStore, name: string, index: number, count: number, error: unknown): Promise<LumenError> {
  const free = await freeMegabytes(store.folder);
  const kept = index === 0 ? 'the project is unchanged' : `the ${index} shard(s) merged before it are kept`;
  return new LumenError(
    'invalid-argument',
    `The merge stopped at shard ${name} (${index + 1} of ${count}): ${diskFullText(free)} on ${store.folder}; ${kept}.`,
    'Free some space on that disk, then run the same command again to finish the merge.',
    { code: (error as { code?: unknown }).code ?? null, freeMegabytes: free, path: store.folder, shard: name },
  );
}
