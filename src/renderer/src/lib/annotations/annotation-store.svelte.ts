import type { z } from 'zod';
import type { LumenApi } from '../../../../shared/contract/api';
import type { Annotation, ImageRef } from '../../../../shared/contract/annotations';
import { LumenError } from '../../../../shared/errors';
import { asLumenError } from '../state/errors';
import { annotationsText } from '../text/annotations';
import type { AnnotationEdit } from './types';

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

  constructor(readonly api: LumenApi) {}

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

  /** Adds (no id) or edits (an id) an annotation of the current image; resolves with it, or null on failure. */
  async save(edit: AnnotationEdit): Promise<Annotation | null> {
    const ref = this.#ref;
    if (!ref) {
      this.error = new LumenError('invalid-argument', annotationsText.noImageRef, annotationsText.noImage);
      return null;
    }
    const generation = this.#generation;
    this.pending += 1;
    try {
      const saved = await this.api.call('annotations.save', {
        ...ref,
        ...(edit.id === undefined ? {} : { id: edit.id }),
        shape: edit.shape,
        text: edit.text,
        color: edit.color,
      });
      if (generation !== this.#generation) return null;
      this.annotations = upsert(this.annotations, saved);
      if (this.loading) this.#changedWhileLoading.set(saved.id, saved);
      return saved;
    } catch (e) {
      if (generation === this.#generation) this.error = asLumenError(e);
      return null;
    } finally {
      this.pending -= 1;
    }
  }

  /** Deletes an annotation; true when it is gone (also when it already was), false on failure. */
  async remove(id: number): Promise<boolean> {
    const ref = this.#ref;
    if (!ref) return false;
    const generation = this.#generation;
    this.pending += 1;
    try {
      await this.api.call('annotations.delete', { project: ref.project, id });
      // deleted: false means someone else deleted it first: gone either way.
      if (generation === this.#generation) {
        this.annotations = this.annotations.filter((a) => a.id !== id);
        if (this.loading) this.#changedWhileLoading.set(id, null);
      }
      return true;
    } catch (e) {
      if (generation === this.#generation) this.error = asLumenError(e);
      return false;
    } finally {
      this.pending -= 1;
    }
  }

  dismissError(): void {
    this.error = null;
  }
}
