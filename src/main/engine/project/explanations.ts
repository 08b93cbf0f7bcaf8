import type { z } from 'zod';
import { DeleteExplanationParams, SaveExplanationParams, StoredExplanation } from '../../../shared/contract/explanations';
import { describeZodError, LumenError } from '../../../shared/errors';
import { staleReason, type CurrentOrigin } from '../../../shared/explanation-staleness';
import { imageIdOf } from './annotations';
import type { ProjectStore } from './project-store';

/**
 * Explanations of project images kept in the project (table `explanations`): the engine's full
 * attribution map as a float32 blob with its dims, and what made it (method, parameters as asked,
 * target, model sha256 and file, Lumen version, time), so that reopening the image after a restart
 * brings them back and says which are stale. One row per image, frame and identity (method,
 * target, parameters): saving the same again replaces it.
 *
 * This is the store's whole API: `saveExplanation`, `listExplanations`, `deleteExplanation`, and
 * `explanationIdentity` for anyone who wants to find a stored map for a request (a report cache).
 */

export type SaveParams = z.output<typeof SaveExplanationParams>;
export type DeleteParams = z.output<typeof DeleteExplanationParams>;
export type StoredExplanationRow = Omit<StoredExplanation, 'stale' | 'paramsProblem'>;

/**
 * The most map bytes one stored explanation may hold. A 224x224 map is 200 KB and a pixel method's
 * 3x512x512 map 3 MB; beyond this one would make the project file grow by tens of MB per click.
 */
export const maxStoredExplanationBytes = 32 * 1024 * 1024;

/** JSON with object keys sorted at every level: the same parameters always give the same text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as Record<string, unknown>)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** What makes two explanations of one image and frame the same: method, target and parameters as asked. */
export function explanationIdentity(method: string, target: number, params: Record<string, unknown>): string {
  return `${method}|${target}|${canonicalJson(params)}`;
}

/** A typed array's bytes as a Buffer SQLite stores as a BLOB (little-endian, as the machine holds it). */
function blob(array: Float32Array | Int32Array): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

/** A BLOB back as a typed array, copied so that it is aligned and owns its memory. */
function float32(bytes: Uint8Array): Float32Array {
  const copy = new Uint8Array(bytes);
  return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
}

function int32(bytes: Uint8Array): Int32Array {
  const copy = new Uint8Array(bytes);
  return new Int32Array(copy.buffer, 0, copy.byteLength / 4);
}

function explanationsTableExists(store: ProjectStore): boolean {
  // A read-only project made by an older Lumen is not migrated: it has no stored explanations.
  return store.db.prepare("SELECT 1 AS one FROM sqlite_master WHERE type = 'table' AND name = 'explanations'").get() !== undefined;
}

/**
 * Stores an explanation of a project image (replacing the one with the same identity). One larger
 * than `maxStoredExplanationBytes` is not stored: the answer says so, and the session keeps it.
 */
export function saveExplanation(store: ProjectStore, input: SaveParams, lumenVersion: string, now: Date = new Date()): { id: number | null; notice?: string } {
  const checked = SaveExplanationParams.safeParse(input);
  if (!checked.success) throw new LumenError('invalid-argument', `Invalid explanation to store: ${describeZodError(checked.error)}.`, 'Store an attribution as the engine returned it.');
  const e = checked.data;
  const elements = e.dims.reduce((a, b) => a * b, 1);
  if (elements !== e.data.length) {
    throw new LumenError('invalid-argument', `The explanation's map has ${e.data.length} values but its dims ${e.dims.join('x')} make ${elements}.`, 'Store an attribution as the engine returned it.');
  }
  const bytes = e.data.byteLength + (e.regions?.ranks.byteLength ?? 0) + (e.segments?.labels.byteLength ?? 0);
  if (bytes > maxStoredExplanationBytes) {
    const mb = (n: number): string => `${Math.round(n / (1024 * 1024))} MB`;
    return { id: null, notice: `This explanation's map (${mb(bytes)}) is larger than a project stores (${mb(maxStoredExplanationBytes)}): it is kept for this session only.` };
  }
  store.assertWritable('store the explanation');
  const imageId = imageIdOf(store, e.dataset, e.path);
  const identity = explanationIdentity(e.method, e.target, e.params);
  const row = store.db
    .prepare(
      `INSERT INTO explanations (image_id, frame, identity, method, params, target, target_label, kind, dims, map, figures, notes, details, regions, region_ranks, segment_values, segment_labels, model_sha256, model_file, lumen_version, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (image_id, frame, identity) DO UPDATE SET
         params = excluded.params, target_label = excluded.target_label, kind = excluded.kind, dims = excluded.dims, map = excluded.map,
         figures = excluded.figures, notes = excluded.notes, details = excluded.details, regions = excluded.regions, region_ranks = excluded.region_ranks,
         segment_values = excluded.segment_values, segment_labels = excluded.segment_labels, model_sha256 = excluded.model_sha256,
         model_file = excluded.model_file, lumen_version = excluded.lumen_version, created_at = excluded.created_at
       RETURNING id`,
    )
    .get(
      imageId,
      e.frame,
      identity,
      e.method,
      JSON.stringify(e.params),
      e.target,
      e.targetLabel,
      e.kind,
      JSON.stringify(e.dims),
      blob(e.data),
      JSON.stringify(e.figures),
      JSON.stringify(e.notes),
      e.details ? JSON.stringify(e.details) : null,
      e.regions ? JSON.stringify(e.regions.list) : null,
      e.regions ? blob(e.regions.ranks) : null,
      e.segments ? JSON.stringify(e.segments.values) : null,
      e.segments ? blob(e.segments.labels) : null,
      e.model.sha256,
      e.model.fileName,
      lumenVersion,
      now.toISOString(),
    ) as { id: number | bigint };
  return { id: Number(row.id) };
}

interface Row {
  id: number | bigint;
  method: string;
  params: string;
  target: number | bigint;
  target_label: string;
  kind: string;
  dims: string;
  map: Uint8Array;
  figures: string;
  notes: string;
  details: string | null;
  regions: string | null;
  region_ranks: Uint8Array | null;
  segment_values: string | null;
  segment_labels: Uint8Array | null;
  model_sha256: string;
  model_file: string;
  lumen_version: string;
  created_at: string;
}

function toStored(row: Row): { explanation: StoredExplanationRow } | { damaged: number } {
  const id = Number(row.id);
  try {
    const parsed = StoredExplanation.omit({ stale: true, paramsProblem: true }).safeParse({
      id,
      method: row.method,
      params: JSON.parse(row.params),
      target: Number(row.target),
      targetLabel: row.target_label,
      kind: row.kind,
      dims: JSON.parse(row.dims),
      data: float32(row.map),
      figures: JSON.parse(row.figures),
      notes: JSON.parse(row.notes),
      details: row.details === null ? undefined : JSON.parse(row.details),
      regions: row.regions !== null && row.region_ranks !== null ? { list: JSON.parse(row.regions), ranks: int32(row.region_ranks) } : undefined,
      segments: row.segment_values !== null && row.segment_labels !== null ? { values: JSON.parse(row.segment_values), labels: int32(row.segment_labels) } : undefined,
      model: { sha256: row.model_sha256, fileName: row.model_file },
      lumenVersion: row.lumen_version,
      createdAt: row.created_at,
    });
    if (!parsed.success) return { damaged: id };
    const e = parsed.data;
    if (e.dims.reduce((a, b) => a * b, 1) !== e.data.length) return { damaged: id };
    return { explanation: e };
  } catch {
    return { damaged: id };
  }
}

/**
 * The stored explanations of an image's frame, oldest first. A damaged row (JSON that does not
 * parse, a map whose size does not match its dims) is skipped and told to `onDamaged`, never an
 * error, and left as it is.
 */
export function listExplanations(store: ProjectStore, image: { dataset: string; path: string; frame: number }, onDamaged?: (id: number) => void): StoredExplanationRow[] {
  const imageId = imageIdOf(store, image.dataset, image.path);
  if (!explanationsTableExists(store)) return [];
  const rows = store.db.prepare('SELECT * FROM explanations WHERE image_id = ? AND frame = ? ORDER BY created_at, id').all(imageId, image.frame) as Row[];
  const list: StoredExplanationRow[] = [];
  for (const row of rows) {
    const read = toStored(row);
    if ('explanation' in read) list.push(read.explanation);
    else onDamaged?.(read.damaged);
  }
  return list;
}

/**
 * Stored explanations with the staleness rule applied against what is current now: the open
 * model, this Lumen, and whether the method still accepts the stored parameters (`paramsProblem`).
 */
export function withStaleness(list: StoredExplanationRow[], now: Omit<CurrentOrigin, 'paramsProblem'>, paramsProblem: (method: string, params: Record<string, unknown>) => string | undefined): StoredExplanation[] {
  return list.map((e) => {
    const problem = paramsProblem(e.method, e.params);
    const stale = staleReason(e, { ...now, ...(problem === undefined ? {} : { paramsProblem: problem }) });
    return problem === undefined ? { ...e, stale } : { ...e, stale, paramsProblem: problem };
  });
}

/** Deletes the stored explanation of this image, frame and identity; `deleted: false` when there was none. */
export function deleteExplanation(store: ProjectStore, input: DeleteParams): { deleted: boolean } {
  const imageId = imageIdOf(store, input.dataset, input.path);
  if (!explanationsTableExists(store)) return { deleted: false };
  store.assertWritable('delete the stored explanation');
  const result = store.db.prepare('DELETE FROM explanations WHERE image_id = ? AND frame = ? AND identity = ?').run(imageId, input.frame, explanationIdentity(input.method, input.target, input.params));
  return { deleted: result.changes > 0 };
}
