// @vitest-environment jsdom
// The store is a .svelte.ts module (runes): it runs in the `dom` project, which compiles Svelte.
import { describe, expect, it } from 'vitest';
import type { Annotation } from '../../../../src/shared/contract/annotations';
import { LumenError } from '../../../../src/shared/errors';
import { AnnotationStore } from '../../../../src/renderer/src/lib/annotations/annotation-store.svelte';
import { deferred, fakeEngine } from '../../helpers/fake-engine';

const ref = { project: '/p', dataset: 'xray', path: 'a.png' };
const other = { project: '/p', dataset: 'xray', path: 'b.png' };

const note = (id: number, text = ''): Annotation => ({
  id,
  shape: { kind: 'box', x0: 0, y0: 0, x1: 10, y1: 10 },
  text,
  color: '#ffcc00',
  author: 'me',
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
});

describe('AnnotationStore', () => {
  it('loads an image, adds, edits and deletes through the api, keeping the list in id order', async () => {
    let next = 3;
    const engine = fakeEngine({
      'annotations.list': ({ path }) => (path === 'a.png' ? [note(1), note(2, 'two')] : []),
      'annotations.save': (p) => ({ ...note(p.id ?? next++, p.text), shape: p.shape, color: p.color }),
      'annotations.delete': ({ id }) => ({ deleted: id !== 99 }),
    });
    const store = new AnnotationStore(engine.api);
    await store.load(ref);
    expect(store.annotations.map((a) => a.id)).toEqual([1, 2]);
    expect(store.count).toBe(2);

    const added = await store.save({ shape: { kind: 'text', at: [1, 2] }, text: 'new', color: '#ff4d4f' });
    expect(added).toMatchObject({ id: 3, text: 'new', color: '#ff4d4f' });
    expect(engine.callsOf('annotations.save')[0]).toEqual({ ...ref, shape: { kind: 'text', at: [1, 2] }, text: 'new', color: '#ff4d4f' });

    await store.save({ id: 1, shape: { kind: 'box', x0: 1, y0: 1, x1: 2, y1: 2 }, text: 'edited', color: '#ffcc00' });
    expect(engine.callsOf('annotations.save')[1]).toMatchObject({ ...ref, id: 1 });
    expect(store.annotations.map((a) => [a.id, a.text])).toEqual([
      [1, 'edited'],
      [2, 'two'],
      [3, 'new'],
    ]);

    expect(await store.remove(2)).toBe(true);
    expect(engine.callsOf('annotations.delete')).toEqual([{ project: '/p', id: 2 }]);
    // Already gone elsewhere (deleted: false): gone here too.
    await store.save({ shape: { kind: 'text', at: [0, 0] }, text: '', color: '#ffcc00' });
    expect(await store.remove(99)).toBe(true);
    expect(store.annotations.map((a) => a.id)).toEqual([1, 3, 4]);
    expect(store.pending).toBe(0);
    expect(store.error).toBeNull();
  });

  it('keeps failures as its error (save and remove never reject), and dismisses them', async () => {
    const engine = fakeEngine({
      'annotations.list': () => {
        throw new LumenError('not-found', 'There is no image "a.png" in the dataset "xray".');
      },
      'annotations.save': () => {
        throw new LumenError('not-found', 'There is no annotation 7.');
      },
      'annotations.delete': () => {
        throw new LumenError('busy', 'The project is open in another Lumen process.');
      },
    });
    const store = new AnnotationStore(engine.api);
    await store.load(ref);
    expect(store.error?.message).toMatch(/There is no image/);
    expect(store.loading).toBe(false);
    expect(await store.save({ id: 7, shape: { kind: 'text', at: [0, 0] }, text: '', color: '#ffcc00' })).toBeNull();
    expect(store.error?.message).toBe('There is no annotation 7.');
    expect(await store.remove(7)).toBe(false);
    expect(store.error?.code).toBe('busy');
    store.dismissError();
    expect(store.error).toBeNull();
  });

  it('without an image, saving is an error and nothing is sent; a bad shape is refused before it leaves', async () => {
    const engine = fakeEngine({ 'annotations.save': () => note(1) });
    const store = new AnnotationStore(engine.api);
    expect(await store.save({ shape: { kind: 'text', at: [0, 0] }, text: '', color: '#ffcc00' })).toBeNull();
    expect(store.error?.message).toMatch(/No project image/);
    expect(engine.calls).toHaveLength(0);
    await store.load(null);
    expect(store.ref).toBeNull();
    expect(store.annotations).toEqual([]);
    // The contract refuses NaN on the client already.
    const engine2 = fakeEngine({ 'annotations.list': () => [], 'annotations.save': () => note(1) });
    const store2 = new AnnotationStore(engine2.api);
    await store2.load(ref);
    expect(await store2.save({ shape: { kind: 'box', x0: Number.NaN, y0: 0, x1: 1, y1: 1 }, text: '', color: '#ffcc00' })).toBeNull();
    expect(store2.error?.code).toBe('invalid-request');
    expect(engine2.callsOf('annotations.save')).toHaveLength(0);
  });

  it('answers for an image no longer shown are dropped', async () => {
    const slow = deferred<Annotation[]>();
    const engine = fakeEngine({ 'annotations.list': ({ path }) => (path === 'a.png' ? slow.promise : [note(5)]) });
    const store = new AnnotationStore(engine.api);
    const first = store.load(ref);
    await store.load(other);
    expect(store.annotations.map((a) => a.id)).toEqual([5]);
    slow.resolve([note(1), note(2)]);
    await first;
    expect(store.annotations.map((a) => a.id)).toEqual([5]);
    expect(store.ref).toEqual(other);
  });

  it('a note saved while the list is loading is not lost when the list arrives', async () => {
    const slow = deferred<Annotation[]>();
    const engine = fakeEngine({ 'annotations.list': () => slow.promise, 'annotations.save': () => note(9, 'quick') });
    const store = new AnnotationStore(engine.api);
    const loading = store.load(ref);
    expect(store.loading).toBe(true);
    await store.save({ shape: { kind: 'text', at: [0, 0] }, text: 'quick', color: '#ffcc00' });
    slow.resolve([note(1)]);
    await loading;
    expect(store.annotations.map((a) => a.id)).toEqual([1, 9]);
    expect(store.loading).toBe(false);
  });
});
