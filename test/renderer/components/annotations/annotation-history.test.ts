// @vitest-environment jsdom
// Undo and redo of annotation edits, against a real in-process engine and a real project (SQLite):
// what the project holds after each step is read back through the contract, not from the store.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import type { Annotation } from '../../../../src/shared/contract/annotations';
import { AnnotationStore } from '../../../../src/renderer/src/lib/annotations/annotation-store.svelte';
import { importFolder } from '../../../../src/main/engine/project/dataset-import';
import { ProjectStore } from '../../../../src/main/engine/project/project-store';
import { testApi } from '../../../helpers/engine';
import { tempDir } from '../../../helpers/tiny-models';

describe('AnnotationStore undo/redo, with the engine', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  const project = join(tempDir(), 'study');
  const image = { project, dataset: 'samples', path: 'coffee.png' };
  const other = { project, dataset: 'samples', path: 'rocket.jpg' };

  beforeAll(async () => {
    ({ api, close } = testApi());
    const store = ProjectStore.open(project, { create: true });
    await importFolder(store, 'samples', 'resources/samples');
    store.close();
  });
  afterAll(() => close());

  /** What the project holds for the image: content only, oldest first. */
  const stored = async (ref = image): Promise<Pick<Annotation, 'shape' | 'text' | 'color'>[]> =>
    (await api.call('annotations.list', ref)).map((a) => ({ shape: a.shape, text: a.text, color: a.color }));

  it('undoes and redoes drawing, moving, resizing, a note edit and a delete, in order, in the project', async () => {
    const notes = new AnnotationStore(api);
    await notes.load(image);
    expect(notes.canUndo).toBe(false);
    expect(notes.undoLabel).toBeNull();

    const box = { kind: 'box' as const, x0: 10, y0: 10, x1: 50, y1: 40 };
    const moved = { kind: 'box' as const, x0: 20, y0: 15, x1: 60, y1: 45 };
    const resized = { kind: 'box' as const, x0: 20, y0: 15, x1: 90, y1: 70 };
    const drawn = (await notes.save({ shape: box, text: '', color: '#ff4d4f' }))!;
    expect(notes.undoLabel).toBe('drawing a box');
    await notes.save({ id: drawn.id, shape: moved, text: '', color: '#ff4d4f', change: 'move' });
    expect(notes.undoLabel).toBe('moving a box');
    await notes.save({ id: drawn.id, shape: resized, text: '', color: '#ff4d4f', change: 'resize' });
    await notes.save({ id: drawn.id, shape: resized, text: 'nodule', color: '#ff4d4f' });
    expect(notes.undoLabel).toBe('editing the note of a box');
    // Saving the same content again changes nothing and records nothing.
    await notes.save({ id: drawn.id, shape: resized, text: 'nodule', color: '#ff4d4f' });
    expect(notes.undoLabel).toBe('editing the note of a box');
    // The author and creation time stay; the edit time moves.
    const [edited] = await api.call('annotations.list', image);
    expect(edited).toMatchObject({ id: drawn.id, author: drawn.author, createdAt: drawn.createdAt });
    expect(Date.parse(edited!.updatedAt)).toBeGreaterThanOrEqual(Date.parse(drawn.createdAt));

    expect(await notes.remove(drawn.id)).toBe(true);
    expect(notes.undoLabel).toBe('deleting a box');
    expect(await stored()).toEqual([]);

    // Undo the delete: the same content is back (under whatever id the project gives it), drawn by the same author at the same time.
    expect(await notes.undo()).toBe(true);
    expect(await stored()).toEqual([{ shape: resized, text: 'nodule', color: '#ff4d4f' }]);
    expect((await api.call('annotations.list', image))[0]).toMatchObject({ author: drawn.author, createdAt: drawn.createdAt });
    expect(notes.annotations.map((a) => a.text)).toEqual(['nodule']);
    // The earlier edits follow the restored annotation.
    expect(await notes.undo()).toBe(true);
    expect(await stored()).toEqual([{ shape: resized, text: '', color: '#ff4d4f' }]);
    expect(await notes.undo()).toBe(true);
    expect(await stored()).toEqual([{ shape: moved, text: '', color: '#ff4d4f' }]);
    expect(await notes.undo()).toBe(true);
    expect(await stored()).toEqual([{ shape: box, text: '', color: '#ff4d4f' }]);
    expect(notes.undoLabel).toBe('drawing a box');
    expect(notes.redoLabel).toBe('moving a box');
    expect(await notes.undo()).toBe(true);
    expect(await stored()).toEqual([]);
    expect(notes.annotations).toEqual([]);
    expect(notes.canUndo).toBe(false);
    expect(await notes.undo()).toBe(false);

    // Redo everything: drawn anew, then each edit on the new id, then deleted again.
    for (let i = 0; i < 4; i++) expect(await notes.redo()).toBe(true);
    expect(await stored()).toEqual([{ shape: resized, text: 'nodule', color: '#ff4d4f' }]);
    expect(notes.annotations).toHaveLength(1);
    expect(notes.redoLabel).toBe('deleting a box');
    expect(await notes.redo()).toBe(true);
    expect(await stored()).toEqual([]);
    expect(notes.canRedo).toBe(false);
    expect(notes.error).toBeNull();
  });

  it('a new edit clears redo; another image clears the history; the same image again keeps it', async () => {
    const notes = new AnnotationStore(api);
    await notes.load(image);
    const arrow = (await notes.save({ shape: { kind: 'arrow', from: [1, 1], to: [30, 30] }, text: '', color: '#ffcc00' }))!;
    await notes.save({ id: arrow.id, shape: { kind: 'arrow', from: [1, 1], to: [60, 20] }, text: '', color: '#ffcc00', change: 'resize' });
    await notes.undo();
    expect(notes.redoLabel).toBe('resizing an arrow');
    await notes.save({ shape: { kind: 'text', at: [5, 5] }, text: 'see here', color: '#ffcc00' });
    expect(notes.canRedo).toBe(false);
    expect(notes.undoLabel).toBe('drawing a note');

    await notes.load(image);
    expect(notes.undoLabel).toBe('drawing a note');
    await notes.load(other);
    expect(notes.canUndo).toBe(false);
    expect(notes.canRedo).toBe(false);
    // The other image's edits are its own.
    await notes.save({ shape: { kind: 'freehand', points: [[0, 0], [9, 9], [0, 9]] }, text: '', color: '#ffcc00' });
    expect(notes.undoLabel).toBe('drawing an outline');
    await notes.undo();
    expect(await stored(other)).toEqual([]);
    expect((await stored()).map((a) => a.shape.kind)).toEqual(['arrow', 'text']);
  });

  it('an undo that fails (the annotation was deleted elsewhere) stays undoable and says why', async () => {
    const notes = new AnnotationStore(api);
    await notes.load(other);
    const box = (await notes.save({ shape: { kind: 'box', x0: 0, y0: 0, x1: 9, y1: 9 }, text: '', color: '#ffcc00' }))!;
    await notes.save({ id: box.id, shape: { kind: 'box', x0: 5, y0: 5, x1: 14, y1: 14 }, text: '', color: '#ffcc00', change: 'move' });
    await api.call('annotations.delete', { project, id: box.id });
    expect(await notes.undo()).toBe(false);
    expect(notes.error?.code).toBe('not-found');
    expect(notes.undoLabel).toBe('moving a box');
  });
});
