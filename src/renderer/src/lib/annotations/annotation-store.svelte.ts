import type { z } from 'zod';
import type { LumenApi } from '../../../../shared/contract/api';
import type { Annotation, ImageRef } from '../../../../shared/contract/annotations';
import { LumenError } from '../../../../shared/errors';
import { asLumenError } from '../state/errors';
import { annotationsText } from '../text/annotations';
import { UndoHistory } from '../history/undo-history';
import { sameShape } from './transform';
import type { AnnotationChange, AnnotationEdit } from './types';

/** What an annotation shows: everything the user chose, without its id, author and times. */
type Content = Pick<Annotation, 'shape' | 'text' | 'color'>;

/**
 * One annotation across undo and redo. Undoing a delete draws it anew, and the project gives it a
 * new id: every recorded edit of it holds this object, so they all follow the new id.
 */
interface Lineage {
  id: number;
}

const contentOf = (a: Content): Content => ({ shape: a.shape, text: a.text, color: a.color });
const sameContent = (a: Content, b: Content): boolean => sameShape(a.shape, b.shape) && a.text === b.text && a.color === b.color;
const sameImage = (a: AnnotationImageRef | null, b: AnnotationImageRef | null): boolean => !!a && !!b && a.project === b.project && a.dataset === b.dataset && a.path === b.path;

export type AnnotationImageRef = z.input<typeof ImageRef>;

/** The list with one annotation added or replaced (by id), in id order (= creation order). */
function upsert(list: readonly Annotation[], annotation: Annotation): Annotation[] {
  const rest = list.filter((a) => a.id !== annotation.id);
  return [...rest, annotation].sort((a, b) => a.id - b.id);
}

/**
 * The annotations of one project image, kept in step with the engine. One per inspector:
 *
 *   const notes = new AnnotationStore(api);
 *   $effect(() => void notes.load(ref));     // ref: {project, dataset, path}, or null
 *   <AnnotationLayer annotations={notes.annotations} onsave={(e) => notes.save(e)} ondelete={(id) => notes.remove(id)} … />
 *
 * `save` and `remove` never reject: a failure is kept in `error` (show it, then `dismissError`).
 * Answers that arrive after the image changed are dropped, so a slow request never shows one
 * image's annotations over another's.
 *
 * Every save and delete is recorded in an undo history of this image (`undo`, `redo`, with
 * `undoLabel` and `redoLabel` naming the edit); opening another image clears it.
 */
export class AnnotationStore {
  /** The image's annotations, oldest first (reactive). */
  annotations: Annotation[] = $state.raw([]);
  loading = $state(false);
  /** Saves and deletes in flight. */
  pending = $state(0);
  error: LumenError | null = $state.raw(null);
  #ref: AnnotationImageRef | null = $state.raw(null);
  /** Bumped on every load: answers for an older image are dropped. */
  #generation = 0;
  /** Saves and deletes made while the list was loading, applied over the list when it arrives. */
  #changedWhileLoading = new Map<number, Annotation | null>();
  readonly #history = new UndoHistory();
  /**
   * Set to a new value when the history changes (the history itself is not reactive). Written
   * from a plain counter, never read-modify-written: `load` runs inside an $effect, which must not
   * read what it writes.
   */
  #historyVersion = $state(0);
  #historyChanges = 0;
  /** The image the history is about (plain: `load` compares it without subscribing the effect to it). */
  #historyRef: AnnotationImageRef | null = null;
  /** The lineage of each annotation shown that has been edited, by its current id. */
  #lineages = new Map<number, Lineage>();

  constructor(readonly api: LumenApi) {}

  get canUndo(): boolean {
    void this.#historyVersion;
    return this.#history.canUndo;
  }

  get canRedo(): boolean {
    void this.#historyVersion;
    return this.#history.canRedo;
  }

  /** What Undo would revert ("drawing a box"), or null. */
  get undoLabel(): string | null {
    void this.#historyVersion;
    return this.#history.undoLabel;
  }

  get redoLabel(): string | null {
    void this.#historyVersion;
    return this.#history.redoLabel;
  }

  /** Reverts the last edit of this image; false when there was none or it failed (then `error` says why). */
  async undo(): Promise<boolean> {
    return this.#travel(() => this.#history.undo());
  }

  /** Applies the last undone edit again; false when there was none or it failed. */
  async redo(): Promise<boolean> {
    return this.#travel(() => this.#history.redo());
  }

  async #travel(step: () => Promise<boolean>): Promise<boolean> {
    const generation = this.#generation;
    try {
      return await step();
    } catch (e) {
      if (generation === this.#generation) this.error = asLumenError(e);
      return false;
    } finally {
      this.#historyVersion = ++this.#historyChanges;
    }
  }

  #record(label: string, apply: () => Promise<void>, revert: () => Promise<void>): void {
    this.#history.record({ label, apply, revert });
    this.#historyVersion = ++this.#historyChanges;
  }

  #lineage(id: number): Lineage {
    let lineage = this.#lineages.get(id);
    if (!lineage) {
      lineage = { id };
      this.#lineages.set(id, lineage);
    }
    return lineage;
  }

  /** The lineage now lives on under a new id (drawn anew by undo or redo). */
  #rebind(lineage: Lineage, id: number): void {
    if (this.#lineages.get(lineage.id) === lineage) this.#lineages.delete(lineage.id);
    lineage.id = id;
    this.#lineages.set(id, lineage);
  }

  /** The annotation is gone: its id may be given to a new one, which starts a lineage of its own. */
  #unbind(lineage: Lineage): void {
    if (this.#lineages.get(lineage.id) === lineage) this.#lineages.delete(lineage.id);
  }

  /** Runs one request for the current image, counted in `pending`; rejects on failure. */
  async #request<T>(work: (ref: AnnotationImageRef, generation: number) => Promise<T>): Promise<T> {
    const ref = this.#ref;
    if (!ref) throw new LumenError('invalid-argument', annotationsText.noImageRef, annotationsText.noImage);
    this.pending += 1;
    try {
      return await work(ref, this.#generation);
    } finally {
      this.pending -= 1;
    }
  }

  /**
   * Stores an annotation (new without an id; `restore`: a deleted one put back with its author and
   * creation time) and shows it; rejects on failure.
   */
  async #write(content: Content, id?: number, restore?: Pick<Annotation, 'author' | 'createdAt'>): Promise<Annotation> {
    return this.#request(async (ref, generation) => {
      const saved = await this.api.call('annotations.save', {
        ...ref,
        ...(id === undefined ? {} : { id }),
        ...(restore ? { restore: { author: restore.author, createdAt: restore.createdAt } } : {}),
        shape: content.shape,
        text: content.text,
        color: content.color,
      });
      if (generation === this.#generation) {
        this.annotations = upsert(this.annotations, saved);
        if (this.loading) this.#changedWhileLoading.set(saved.id, saved);
      }
      return saved;
    });
  }

  async #delete(id: number): Promise<void> {
    await this.#request(async (ref, generation) => {
      // deleted: false means someone else deleted it first: gone either way.
      await this.api.call('annotations.delete', { project: ref.project, id });
      if (generation === this.#generation) {
        this.annotations = this.annotations.filter((a) => a.id !== id);
        if (this.loading) this.#changedWhileLoading.set(id, null);
      }
    });
  }

  /** The image whose annotations these are (null: none). */
  get ref(): AnnotationImageRef | null {
    return this.#ref;
  }

  get count(): number {
    return this.annotations.length;
  }

  get busy(): boolean {
    return this.loading || this.pending > 0;
  }

  /** Shows the annotations of this image (null: none); the same image again reloads them. */
  async load(ref: AnnotationImageRef | null): Promise<void> {
    // Only writes before the first await (no reads of reactive state), so it can run in an $effect.
    const generation = ++this.#generation;
    const current = ref ? { project: ref.project, dataset: ref.dataset, path: ref.path } : null;
    if (!sameImage(this.#historyRef, current)) {
      this.#historyRef = current;
      this.#history.clear();
      this.#lineages = new Map();
      this.#historyVersion = ++this.#historyChanges;
    }
    this.#ref = current;
    this.annotations = [];
    this.error = null;
    this.#changedWhileLoading.clear();
    if (!current) {
      this.loading = false;
      return;
    }
    this.loading = true;
    try {
      const list = await this.api.call('annotations.list', current);
      if (generation !== this.#generation) return;
      let merged = list;
      for (const [id, change] of this.#changedWhileLoading) merged = change ? upsert(merged, change) : merged.filter((a) => a.id !== id);
      this.annotations = merged;
    } catch (e) {
      if (generation === this.#generation) this.error = asLumenError(e);
    } finally {
      if (generation === this.#generation) {
        this.loading = false;
        this.#changedWhileLoading.clear();
      }
    }
  }

  /**
   * Adds (no id) or edits (an id) an annotation of the current image, and records it for undo;
   * resolves with it, or null on failure. An edit that changes nothing is neither saved nor recorded.
   */
  async save(edit: AnnotationEdit): Promise<Annotation | null> {
    const after = contentOf(edit);
    const generation = this.#generation;
    try {
      if (edit.id === undefined) {
        const saved = await this.#write(after);
        // Another image opened meanwhile: its list and history are not this one's.
        if (generation !== this.#generation) return null;
        const lineage = this.#lineage(saved.id);
        this.#record(
          annotationsText.changeLabel('draw', after.shape.kind),
          async () => this.#rebind(lineage, (await this.#write(after)).id),
          async () => {
            await this.#delete(lineage.id);
            this.#unbind(lineage);
          },
        );
        return saved;
      }
      const existing = this.annotations.find((a) => a.id === edit.id);
      if (existing && sameContent(existing, after)) return existing;
      const saved = await this.#write(after, edit.id);
      if (generation !== this.#generation) return null;
      if (existing) {
        const before = contentOf(existing);
        const lineage = this.#lineage(existing.id);
        this.#record(
          annotationsText.changeLabel(edit.change ?? changeBetween(before, after), after.shape.kind),
          async () => void (await this.#write(after, lineage.id)),
          async () => void (await this.#write(before, lineage.id)),
        );
      }
      return saved;
    } catch (e) {
      if (generation === this.#generation) this.error = asLumenError(e);
      return null;
    }
  }

  /** Deletes an annotation, recorded for undo; true when it is gone (also when it already was), false on failure. */
  async remove(id: number): Promise<boolean> {
    if (!this.#ref) return false;
    const existing = this.annotations.find((a) => a.id === id);
    const generation = this.#generation;
    try {
      await this.#delete(id);
    } catch (e) {
      if (generation === this.#generation) this.error = asLumenError(e);
      return false;
    }
    if (existing && generation === this.#generation) {
      const content = contentOf(existing);
      const lineage = this.#lineage(id);
      this.#unbind(lineage);
      this.#record(
        annotationsText.changeLabel('delete', content.shape.kind),
        async () => {
          await this.#delete(lineage.id);
          this.#unbind(lineage);
        },
        async () => this.#rebind(lineage, (await this.#write(content, undefined, existing)).id),
      );
    }
    return true;
  }

  dismissError(): void {
    this.error = null;
  }
}

/** What an edit did when the caller did not say: a new text or colour is a note edit, a new shape a move. */
function changeBetween(before: Content, after: Content): AnnotationChange {
  return sameShape(before.shape, after.shape) ? 'note' : 'move';
}
