import { userInfo } from 'node:os';
import type { z } from 'zod';
import { Annotation, SaveAnnotationParams } from '../../../shared/contract/annotations';
import { describeZodError, LumenError } from '../../../shared/errors';
import { fileInDataset, findDataset } from './dataset-files';
import type { ProjectStore } from './project-store';

/**
 * The users' own annotations of project images (boxes, arrows, free-hand outlines, text notes),
 * in the `notes` table: shapes in image pixels, stored as JSON and checked on every read.
 * (Not the imported ground truth in `annotations`: that one is what metrics score against.)
 */

type SaveParams = z.output<typeof SaveAnnotationParams>;

/** A row of `notes` as SQLite gives it. */
interface NoteRow {
  id: number | bigint;
  shape: string;
  text: string;
  color: string;
  author: string;
  created_at: string;
  updated_at: string;
}

/** Why a stored annotation could not be read: it is skipped, left in the database as it is. */
export interface DamagedNote {
  id: number;
  reason: string;
}

/**
 * Who draws: the user account's name. One place, so that an "author name" setting can replace it
 * later. An account without a name (or a system that refuses to say) gives 'unknown'.
 */
export function annotationAuthor(): string {
  try {
    return userInfo().username.trim() || 'unknown';
  } catch {
    return 'unknown';
  }
}

const columns = 'id, shape, text, color, author, created_at, updated_at';

function toAnnotation(row: NoteRow): { annotation: Annotation } | { damaged: DamagedNote } {
  const id = Number(row.id);
  let shape: unknown;
  try {
    shape = JSON.parse(row.shape);
  } catch {
    return { damaged: { id, reason: 'its shape is not JSON' } };
  }
  const parsed = Annotation.safeParse({ id, shape, text: row.text, color: row.color, author: row.author, createdAt: row.created_at, updatedAt: row.updated_at });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { damaged: { id, reason: issue ? `${issue.path.join('.') || 'row'}: ${issue.message}` : 'invalid' } };
  }
  return { annotation: parsed.data };
}

/**
 * An image's annotations, oldest first. A damaged row (shape JSON that does not parse or no longer
 * fits the contract, a bad colour) is skipped and told to `onDamaged`, never an error: one bad
 * row must not hide the image's other notes. The row is left untouched.
 */
export function listAnnotations(store: ProjectStore, imageId: number, onDamaged?: (note: DamagedNote) => void): Annotation[] {
  const rows = store.db.prepare(`SELECT ${columns} FROM notes WHERE image_id = ? ORDER BY id`).all(imageId) as NoteRow[];
  const annotations: Annotation[] = [];
  for (const row of rows) {
    const read = toAnnotation(row);
    if ('annotation' in read) annotations.push(read.annotation);
    else onDamaged?.(read.damaged);
  }
  return annotations;
}

/**
 * The project id of an image given by dataset name and path relative to the dataset's root (as
 * `datasets.images` lists it). An unknown dataset, a path outside the dataset, or a path that is
 * not one of its images is a clear error.
 */
export function imageIdOf(store: ProjectStore, datasetName: string, path: string): number {
  const dataset = findDataset(store, datasetName);
  fileInDataset(dataset, path);
  const row = store.db.prepare('SELECT id FROM images WHERE dataset_id = ? AND path = ?').get(dataset.id, path) as { id: number | bigint } | undefined;
  if (!row) {
    throw new LumenError('not-found', `There is no image "${path}" in the dataset "${dataset.name}".`, 'Give the image path relative to the dataset root, as datasets.images lists it.', {
      dataset: dataset.name,
      path,
    });
  }
  return Number(row.id);
}

/** The annotations of an image given by dataset name and path. */
export function annotationsFor(store: ProjectStore, dataset: string, path: string, onDamaged?: (note: DamagedNote) => void): Annotation[] {
  return listAnnotations(store, imageIdOf(store, dataset, path), onDamaged);
}

/**
 * Adds an annotation (no id; `restore` puts a deleted one back with its author and creation
 * time) or edits one (an id): its shape, text and colour. An edit keeps the
 * original author and creation time and moves `updatedAt`: the author is who drew it. (When a
 * different user edits someone's note, the author stays the original one and the edit is not
 * attributed; fine for now: a history of edits would be its own table.)
 *
 * Shapes are kept as drawn, in image pixels, also where they extend past the image's edge; NaN and
 * infinities never get here (the contract refuses them). Editing an id that does not exist, or
 * that belongs to another image, is an error (nothing is created in its place).
 */
export function saveAnnotation(store: ProjectStore, input: SaveParams, author: string, now: Date = new Date()): Annotation {
  // The contract checked a request already; checked again for callers inside the engine (the CLI),
  // so that nothing unreadable is ever stored.
  const checked = SaveAnnotationParams.safeParse(input);
  if (!checked.success) throw new LumenError('invalid-argument', `Invalid annotation: ${describeZodError(checked.error)}.`, 'Coordinates are finite numbers in image pixels; a colour is #rrggbb.');
  const params = checked.data;
  const shape = params.shape;
  const imageId = imageIdOf(store, params.dataset, params.path);
  const time = now.toISOString();
  let id: number;
  if (params.id === undefined) {
    // A deleted annotation put back (undo) keeps its author and creation time.
    const result = store.db
      .prepare('INSERT INTO notes (image_id, shape, text, color, author, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(imageId, JSON.stringify(shape), params.text, params.color, params.restore?.author ?? author, params.restore?.createdAt ?? time, time);
    id = Number(result.lastInsertRowid);
  } else {
    id = params.id;
    const existing = store.db.prepare('SELECT image_id FROM notes WHERE id = ?').get(id) as { image_id: number | bigint } | undefined;
    if (!existing) {
      throw new LumenError('not-found', `There is no annotation ${id} in ${store.folder}.`, 'It may have been deleted; list the image\'s annotations again, or save it without an id to add it anew.', { id });
    }
    if (Number(existing.image_id) !== imageId) {
      throw new LumenError('invalid-argument', `Annotation ${id} belongs to another image than "${params.path}" of "${params.dataset}".`, 'Edit an annotation with the image it was drawn on.', { id, path: params.path });
    }
    store.db.prepare('UPDATE notes SET shape = ?, text = ?, color = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(shape), params.text, params.color, time, id);
  }
  const row = store.db.prepare(`SELECT ${columns} FROM notes WHERE id = ?`).get(id) as NoteRow;
  const read = toAnnotation(row);
  if ('damaged' in read) throw new LumenError('internal', `Annotation ${id} was saved but cannot be read back (${read.damaged.reason}).`);
  return read.annotation;
}

/** Deletes an annotation; an id that does not exist (already deleted) answers `deleted: false`. */
export function deleteAnnotation(store: ProjectStore, id: number): { deleted: boolean } {
  return { deleted: store.db.prepare('DELETE FROM notes WHERE id = ?').run(id).changes > 0 };
}
