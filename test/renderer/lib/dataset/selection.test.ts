import { describe, expect, it } from 'vitest';
import { clickSelection, collectPaths, emptySelection, forgetAnchor, selectAll, togglePath } from '../../../../src/renderer/src/lib/dataset/selection';
import { fileName, imagesParams, metricValue, queryKey, sortKeys, type DatasetQuery } from '../../../../src/renderer/src/lib/dataset/query';

const path = (i: number): string => `img-${i}.png`;
const paths = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, k) => path(from + k));
const plain = { range: false, toggle: false };

describe('clickSelection', () => {
  it('a plain click selects one image and anchors there', () => {
    const s = clickSelection(selectAll(['x', 'y']), 3, path(3), plain);
    expect([...s.paths]).toEqual([path(3)]);
    expect(s.anchor).toBe(3);
  });

  it('Shift selects the range from the anchor, either way, replacing the rest', () => {
    let s = clickSelection(emptySelection, 5, path(5), plain);
    s = clickSelection(s, 8, path(8), { range: true, toggle: false }, paths(5, 8));
    expect([...s.paths]).toEqual(paths(5, 8));
    expect(s.anchor).toBe(5);
    s = clickSelection(s, 2, path(2), { range: true, toggle: false }, paths(2, 5));
    expect([...s.paths].sort()).toEqual(paths(2, 5).sort());
  });

  it('Ctrl/Cmd toggles one and moves the anchor; Ctrl+Shift adds a range', () => {
    let s = clickSelection(emptySelection, 1, path(1), plain);
    s = clickSelection(s, 4, path(4), { range: false, toggle: true });
    expect([...s.paths]).toEqual([path(1), path(4)]);
    expect(s.anchor).toBe(4);
    s = clickSelection(s, 6, path(6), { range: true, toggle: true }, paths(4, 6));
    expect([...s.paths]).toEqual([path(1), path(4), path(5), path(6)]);
    s = clickSelection(s, 1, path(1), { range: false, toggle: true });
    expect(s.paths.has(path(1))).toBe(false);
  });

  it('Shift without an anchor is a plain click', () => {
    const s = clickSelection(emptySelection, 7, path(7), { range: true, toggle: false }, paths(0, 7));
    expect([...s.paths]).toEqual([path(7)]);
  });

  it('does not mutate the selection it is given', () => {
    const before = selectAll(['a']);
    togglePath(before, 0, 'b');
    expect([...before.paths]).toEqual(['a']);
  });

  it('a new ordering forgets the anchor but keeps the paths', () => {
    const s = forgetAnchor(clickSelection(emptySelection, 3, path(3), plain));
    expect(s.anchor).toBeNull();
    expect([...s.paths]).toEqual([path(3)]);
  });
});

describe('collectPaths', () => {
  it('takes what is cached and fetches the gaps in windows', async () => {
    const cached = new Map(paths(0, 199).map((p, i) => [i, { path: p }]));
    const asked: Array<[number, number]> = [];
    const progress: number[] = [];
    const result = await collectPaths(
      0,
      2_499,
      (i) => cached.get(i),
      async (offset, limit) => {
        asked.push([offset, limit]);
        return paths(offset, offset + limit - 1).map((p) => ({ path: p }));
      },
      { window: 1000, onProgress: (done) => progress.push(done) },
    );
    expect(result).toEqual(paths(0, 2_499));
    expect(asked).toEqual([
      [200, 1000],
      [1200, 1000],
      [2200, 300],
    ]);
    expect(progress).toEqual([200, 1200, 2200, 2500]);
  });

  it('fetches nothing when everything is cached', async () => {
    const result = await collectPaths(
      3,
      5,
      (i) => ({ path: path(i) }),
      async () => {
        throw new Error('should not fetch');
      },
    );
    expect(result).toEqual(paths(3, 5));
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(collectPaths(0, 10, () => undefined, async () => [], { signal: controller.signal })).rejects.toThrow(/abandoned/);
  });
});

describe('dataset query', () => {
  const q: DatasetQuery = { project: '/p', dataset: 'chest', runId: undefined, search: '  pneu ', label: '', sort: 'path', descending: false };

  it('leaves out an empty search and label, trims the search', () => {
    expect(imagesParams(q, 400, 200)).toEqual({ project: '/p', dataset: 'chest', sort: 'path', descending: false, offset: 400, limit: 200, search: 'pneu' });
    expect(imagesParams({ ...q, runId: 3, label: 'normal', search: '' }, 0, 200)).toEqual({
      project: '/p',
      dataset: 'chest',
      sort: 'path',
      descending: false,
      offset: 0,
      limit: 200,
      runId: 3,
      label: 'normal',
    });
  });

  it('changes key exactly when the rows can change', () => {
    expect(queryKey(q)).toBe(queryKey({ ...q, search: 'pneu' }));
    expect(queryKey(q)).not.toBe(queryKey({ ...q, descending: true }));
    expect(queryKey(q)).not.toBe(queryKey({ ...q, runId: 1 }));
  });

  it('offers run columns only with a run', () => {
    expect(sortKeys(false, ['deletion'])).toEqual(['path', 'label']);
    expect(sortKeys(true, ['borderMass', 'deletion'])).toEqual(['path', 'label', 'predicted', 'confidence', 'borderMass', 'deletion']);
  });

  it('formats names and metric values', () => {
    expect(fileName('a/b/c.png')).toBe('c.png');
    expect(fileName('a\\b.png')).toBe('b.png');
    expect(fileName('c.png')).toBe('c.png');
    expect(metricValue(0.12345)).toBe('0.123');
    expect(metricValue(undefined)).toBe('–');
    expect(metricValue(Number.NaN)).toBe('–');
    expect(metricValue(0.00001)).toBe('1.00e-5');
    expect(metricValue(0)).toBe('0.000');
  });
});
