import { describe, expect, it } from 'vitest';
import { UndoHistory, type ReversibleEdit } from '../../../../src/renderer/src/lib/history/undo-history';

/** An edit on a list of numbers: push on apply, pop on revert. */
function pushEdit(list: number[], value: number): ReversibleEdit {
  return {
    label: `adding ${value}`,
    apply: () => void list.push(value),
    revert: () => {
      if (list.at(-1) !== value) throw new Error('out of order');
      list.pop();
    },
  };
}

describe('UndoHistory', () => {
  it('undoes and redoes in order, and a new edit clears redo', async () => {
    const list: number[] = [];
    const history = new UndoHistory();
    await history.perform(pushEdit(list, 1));
    await history.perform(pushEdit(list, 2));
    expect(history.undoLabel).toBe('adding 2');
    expect(await history.undo()).toBe(true);
    expect(list).toEqual([1]);
    expect(history.redoLabel).toBe('adding 2');
    expect(await history.redo()).toBe(true);
    expect(list).toEqual([1, 2]);
    await history.undo();
    await history.perform(pushEdit(list, 3));
    expect(history.canRedo).toBe(false);
    expect(list).toEqual([1, 3]);
    expect(await history.undo()).toBe(true);
    expect(await history.undo()).toBe(true);
    expect(await history.undo()).toBe(false);
    expect(list).toEqual([]);
  });

  it('runs overlapping undos one after the other', async () => {
    const list: number[] = [];
    const history = new UndoHistory();
    for (const v of [1, 2, 3]) await history.perform(pushEdit(list, v));
    await Promise.all([history.undo(), history.undo()]);
    expect(list).toEqual([1]);
  });

  it('keeps an edit done when its revert fails', async () => {
    const history = new UndoHistory();
    history.record({ label: 'broken', apply: () => undefined, revert: () => Promise.reject(new Error('engine gone')) });
    await expect(history.undo()).rejects.toThrow('engine gone');
    expect(history.canUndo).toBe(true);
    expect(history.canRedo).toBe(false);
  });

  it('forgets the oldest edits beyond its limit', async () => {
    const list: number[] = [];
    const history = new UndoHistory({ limit: 2 });
    for (const v of [1, 2, 3]) await history.perform(pushEdit(list, v));
    await history.undo();
    await history.undo();
    expect(await history.undo()).toBe(false);
    expect(list).toEqual([1]);
  });
});
