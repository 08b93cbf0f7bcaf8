import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import type { AnnotationShape } from '../../../../src/shared/contract/annotations';
import { annotationAuthor, annotationsFor, deleteAnnotation, listAnnotations, saveAnnotation } from '../../../../src/main/engine/project/annotations';
import { importFolder } from '../../../../src/main/engine/project/dataset-import';
import { ProjectStore } from '../../../../src/main/engine/project/project-store';
import { testApi } from '../../../helpers/engine';
import { tempDir } from '../../../helpers/tiny-models';

describe('annotations: drawn on project images, stored in the project', () => {
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

  const shapes: AnnotationShape[] = [
    { kind: 'box', x0: 10, y0: 20, x1: 110.5, y1: 90 },
    { kind: 'arrow', from: [5, 5], to: [200, 150.25] },
    { kind: 'freehand', points: [[1, 1], [30, 12], [44, 80], [2, 60]] },
    { kind: 'text', at: [64, 32] },
  ];

  it('adds each kind, and lists them oldest first with author and times', async () => {
    const saved = [];
    for (const [k, shape] of shapes.entries()) saved.push(await api.call('annotations.save', { ...image, shape, text: `note ${k}`, color: '#ff0000' }));
    const author = userInfo().username || 'unknown';
    expect(author).toBe(annotationAuthor());
    for (const [k, a] of saved.entries()) {
      expect(a).toMatchObject({ shape: shapes[k], text: `note ${k}`, color: '#ff0000', author });
      expect(a.createdAt).toBe(a.updatedAt);
      expect(Number.isNaN(Date.parse(a.createdAt))).toBe(false);
    }
    const list = await api.call('annotations.list', image);
    expect(list).toEqual(saved);
    expect(list.map((a) => a.id)).toEqual([...list.map((a) => a.id)].sort((a, b) => a - b));
    // Another image has its own (none yet); the text and colour have defaults.
    expect(await api.call('annotations.list', other)).toEqual([]);
    const plain = await api.call('annotations.save', { ...other, shape: { kind: 'box', x0: 0, y0: 0, x1: 1, y1: 1 } });
    expect(plain).toMatchObject({ text: '', color: '#ffcc00' });
    expect(await api.call('annotations.list', other)).toEqual([plain]);
  });

  it('an edit changes shape, text and colour, keeps author and creation time, moves updatedAt', () => {
    const store = ProjectStore.open(project);
    try {
      const created = saveAnnotation(store, { ...image, shape: { kind: 'text', at: [1, 2] }, text: 'first', color: '#00ff00' }, 'dr-a', new Date('2025-01-01T10:00:00Z'));
      const edited = saveAnnotation(store, { ...image, id: created.id, shape: { kind: 'text', at: [3, 4] }, text: 'second', color: '#0000ff' }, 'dr-b', new Date('2025-01-02T10:00:00Z'));
      expect(edited).toEqual({
        id: created.id,
        shape: { kind: 'text', at: [3, 4] },
        text: 'second',
        color: '#0000ff',
        author: 'dr-a',
        createdAt: '2025-01-01T10:00:00.000Z',
        updatedAt: '2025-01-02T10:00:00.000Z',
      });
      expect(annotationsFor(store, 'samples', 'coffee.png').find((a) => a.id === created.id)).toEqual(edited);
    } finally {
      store.close();
    }
  });

  it('a deleted annotation put back (restore) keeps its author and creation time; its edit time is now', async () => {
    const drawn = await api.call('annotations.save', { ...other, shape: { kind: 'arrow', from: [1, 2], to: [30, 40] }, text: 'back', color: '#36d399' });
    await api.call('annotations.delete', { project, id: drawn.id });
    const restore = { author: 'dr-a', createdAt: '2025-01-01T10:00:00.000Z' };
    const back = await api.call('annotations.save', { ...other, shape: drawn.shape, text: drawn.text, color: drawn.color, restore });
    expect(back).toMatchObject({ shape: drawn.shape, text: 'back', color: '#36d399', author: 'dr-a', createdAt: restore.createdAt });
    expect(Date.parse(back.updatedAt)).toBeGreaterThan(Date.parse(restore.createdAt));
    expect((await api.call('annotations.list', other)).find((a) => a.id === back.id)).toEqual(back);
    // Only for a new annotation; and the time must be a time.
    await expect(api.call('annotations.save', { ...other, id: back.id, shape: drawn.shape, restore })).rejects.toMatchObject({ code: 'invalid-request', message: expect.stringMatching(/restore/) });
    await expect(api.call('annotations.save', { ...other, shape: drawn.shape, restore: { author: 'x', createdAt: 'yesterday' } })).rejects.toMatchObject({ code: 'invalid-request' });
    await api.call('annotations.delete', { project, id: back.id });
  });

  it('an edit over the contract answers the edited annotation', async () => {
    const [first] = await api.call('annotations.list', image);
    const edited = await api.call('annotations.save', { ...image, id: first!.id, shape: { kind: 'box', x0: 0, y0: 0, x1: 5, y1: 5 }, text: 'moved' });
    expect(edited).toMatchObject({ id: first!.id, text: 'moved', author: first!.author, createdAt: first!.createdAt, shape: { kind: 'box', x1: 5 } });
    expect(edited.updatedAt >= first!.updatedAt).toBe(true);
  });

  it('editing an id that does not exist, or one of another image, is an error; nothing is created', async () => {
    const before = await api.call('annotations.list', image);
    await expect(api.call('annotations.save', { ...image, id: 9999, shape: shapes[0]! })).rejects.toMatchObject({ code: 'not-found', message: expect.stringMatching(/There is no annotation 9999/) });
    const [onOther] = await api.call('annotations.list', other);
    await expect(api.call('annotations.save', { ...image, id: onOther!.id, shape: shapes[0]! })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringMatching(/belongs to another image/) });
    expect(await api.call('annotations.list', image)).toEqual(before);
  });

  it('deletes; deleting again (or an id never there) answers deleted: false', async () => {
    const made = await api.call('annotations.save', { ...image, shape: { kind: 'arrow', from: [0, 0], to: [9, 9] }, text: 'to delete' });
    expect(await api.call('annotations.delete', { project, id: made.id })).toEqual({ deleted: true });
    expect((await api.call('annotations.list', image)).some((a) => a.id === made.id)).toBe(false);
    expect(await api.call('annotations.delete', { project, id: made.id })).toEqual({ deleted: false });
    expect(await api.call('annotations.delete', { project, id: 123456 })).toEqual({ deleted: false });
  });

  it('persists: the same annotations after the project is closed and opened again', async () => {
    const before = await api.call('annotations.list', image);
    expect(before.length).toBeGreaterThan(0);
    // Each request opens and closes the project: a fresh store reads what the database holds.
    const store = ProjectStore.open(project);
    try {
      expect(annotationsFor(store, 'samples', 'coffee.png')).toEqual(before);
    } finally {
      store.close();
    }
    const { api: fresh, close: closeFresh } = testApi();
    try {
      expect(await fresh.call('annotations.list', image)).toEqual(before);
    } finally {
      await closeFresh();
    }
  });

  it('keeps shapes as drawn past the image edge; refuses NaN, infinities, bad colours and short outlines', async () => {
    const past = await api.call('annotations.save', { ...image, shape: { kind: 'box', x0: -20, y0: -5, x1: 5000, y1: 4000 } });
    expect(past.shape).toEqual({ kind: 'box', x0: -20, y0: -5, x1: 5000, y1: 4000 });
    await api.call('annotations.delete', { project, id: past.id });
    const count = (await api.call('annotations.list', image)).length;
    const bad: unknown[] = [
      { kind: 'box', x0: Number.NaN, y0: 0, x1: 1, y1: 1 },
      { kind: 'arrow', from: [0, 0], to: [Number.POSITIVE_INFINITY, 1] },
      { kind: 'freehand', points: [[1, 1]] },
      { kind: 'text', at: [1] },
      { kind: 'circle', cx: 1, cy: 1, r: 2 },
      { kind: 'box', x0: 0, y0: 0, x1: 1, y1: 1, extra: true },
    ];
    for (const shape of bad) {
      await expect(api.call('annotations.save', { ...image, shape } as never)).rejects.toMatchObject({ code: 'invalid-request' });
    }
    await expect(api.call('annotations.save', { ...image, shape: shapes[0]!, color: 'red' })).rejects.toThrow(/a colour is #rrggbb/);
    await expect(api.call('annotations.save', { ...image, shape: shapes[0]!, text: 'x'.repeat(10_001) })).rejects.toMatchObject({ code: 'invalid-request' });
    // The engine checks again what a client that skips validation sends.
    const store = ProjectStore.open(project);
    try {
      expect(() => saveAnnotation(store, { ...image, shape: { kind: 'box', x0: Number.NaN, y0: 0, x1: 1, y1: 1 }, text: '', color: '#ffffff' }, 'me')).toThrow(/Invalid annotation: shape.x0/);
      expect(() => saveAnnotation(store, { ...image, shape: shapes[0]!, text: '', color: 'red' }, 'me')).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
    } finally {
      store.close();
    }
    expect(await api.call('annotations.list', image)).toHaveLength(count);
  });

  it('an unknown image, dataset or project, or a path outside the dataset, is a clear error', async () => {
    const shape = shapes[0]!;
    await expect(api.call('annotations.list', { ...image, path: 'nope.png' })).rejects.toMatchObject({ code: 'not-found', message: 'There is no image "nope.png" in the dataset "samples".' });
    await expect(api.call('annotations.save', { ...image, path: 'nope.png', shape })).rejects.toMatchObject({ code: 'not-found' });
    await expect(api.call('annotations.list', { ...image, dataset: 'xrays' })).rejects.toMatchObject({ code: 'not-found', message: expect.stringMatching(/There is no dataset "xrays"/) });
    await expect(api.call('annotations.list', { ...image, path: '../study/project.db' })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringMatching(/is not inside the dataset/) });
    await expect(api.call('annotations.list', { ...image, project: join(tempDir(), 'missing') })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('a damaged row is skipped (and said in a notice), not a crash; the row is left as it is', async () => {
    const store = ProjectStore.open(project);
    let imageId: number;
    try {
      imageId = Number((store.db.prepare("SELECT id FROM images WHERE path = 'coffee.png'").get() as { id: number }).id);
      const insert = store.db.prepare("INSERT INTO notes (image_id, shape, text, color, author, created_at, updated_at) VALUES (?, ?, '', ?, 'x', 'then', 'then')");
      insert.run(imageId, '{not json', '#ffffff');
      insert.run(imageId, JSON.stringify({ kind: 'box', x0: 1 }), '#ffffff');
      insert.run(imageId, JSON.stringify({ kind: 'text', at: [1, 2] }), 'blue');
    } finally {
      store.close();
    }
    const notices: string[] = [];
    const stop = api.on('notice', (n) => notices.push(n.message));
    const list = await api.call('annotations.list', image);
    await new Promise((r) => setTimeout(r, 20));
    stop();
    expect(list.every((a) => a.author !== 'x')).toBe(true);
    expect(notices.some((m) => /3 annotation\(s\) of coffee.png could not be read/.test(m))).toBe(true);
    const reopened = ProjectStore.open(project);
    try {
      const reasons: string[] = [];
      listAnnotations(reopened, imageId, (d) => reasons.push(d.reason));
      expect(reasons).toEqual(['its shape is not JSON', expect.stringMatching(/^shape\./), expect.stringMatching(/^color/)]);
      expect(reopened.db.prepare("SELECT count(*) AS n FROM notes WHERE author = 'x'").get()).toMatchObject({ n: 3 });
      reopened.db.prepare("DELETE FROM notes WHERE author = 'x'").run();
    } finally {
      reopened.close();
    }
  });

  it('an image deleted from the dataset takes its annotations with it', async () => {
    expect((await api.call('annotations.list', other)).length).toBeGreaterThan(0);
    const store = ProjectStore.open(project);
    try {
      const before = Number((store.db.prepare('SELECT count(*) AS n FROM notes').get() as { n: number }).n);
      const id = Number((store.db.prepare("SELECT id FROM images WHERE path = 'rocket.jpg'").get() as { id: number }).id);
      const onIt = Number((store.db.prepare('SELECT count(*) AS n FROM notes WHERE image_id = ?').get(id) as { n: number }).n);
      store.db.prepare('DELETE FROM images WHERE id = ?').run(id);
      expect(store.db.prepare('SELECT count(*) AS n FROM notes WHERE image_id = ?').get(id)).toMatchObject({ n: 0 });
      expect(Number((store.db.prepare('SELECT count(*) AS n FROM notes').get() as { n: number }).n)).toBe(before - onIt);
      expect(deleteAnnotation(store, 999_999)).toEqual({ deleted: false });
    } finally {
      store.close();
    }
    await expect(api.call('annotations.list', other)).rejects.toMatchObject({ code: 'not-found' });
  });
});
