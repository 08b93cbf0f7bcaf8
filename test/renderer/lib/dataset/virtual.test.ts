import { describe, expect, it } from 'vitest';
import { gridColumns, itemsOfRows, layoutFor, moveFocus, pageOffsets, revealRow, visibleRows } from '../../../../src/renderer/src/lib/dataset/virtual';

const N = 10_000;

describe('table of 10,000 rows', () => {
  const layout = layoutFor(N, 1, 40);

  it('has a row per item', () => {
    expect(layout).toEqual({ columns: 1, rowHeight: 40, rowCount: N });
  });

  it('renders only the rows in view plus the overscan at the top', () => {
    // 600 px of 40 px rows: rows 0..14 in view, 8 more below.
    expect(visibleRows(layout, { scrollTop: 0, height: 600 }, 8)).toEqual({ start: 0, end: 23 });
  });

  it('renders the rows in view plus the overscan in the middle', () => {
    // Scrolled to row 5000 (200,000 px), half a row further: rows 5000..5015 are (partly) in view.
    const range = visibleRows(layout, { scrollTop: 200_020, height: 600 }, 8);
    expect(range).toEqual({ start: 4992, end: 5024 });
    expect(range.end - range.start).toBeLessThan(40);
  });

  it('clamps at the end', () => {
    const bottom = N * 40 - 600;
    expect(visibleRows(layout, { scrollTop: bottom, height: 600 }, 8)).toEqual({ start: N - 15 - 8, end: N });
    // Overscrolled (elastic scrolling) still ends at the last row.
    expect(visibleRows(layout, { scrollTop: N * 40 + 500, height: 600 }, 8)).toEqual({ start: N - 8, end: N });
  });

  it('is empty without rows or height', () => {
    expect(visibleRows(layoutFor(0, 1, 40), { scrollTop: 0, height: 600 }, 8)).toEqual({ start: 0, end: 0 });
    // A viewport not yet measured still renders a first row (and the overscan) so there is something to measure.
    expect(visibleRows(layout, { scrollTop: 0, height: 0 }, 2)).toEqual({ start: 0, end: 3 });
  });

  it('asks for the pages that cover the range, the middle one first', () => {
    const items = itemsOfRows(visibleRows(layout, { scrollTop: 200_020, height: 600 }, 8), 1, N);
    expect(pageOffsets(items, 200, N)).toEqual([5000, 4800]);
    expect(pageOffsets({ start: 0, end: 23 }, 200, N)).toEqual([0]);
    expect(pageOffsets({ start: 9990, end: N }, 200, N)).toEqual([9800]);
  });

  it('asks for nothing past the total', () => {
    expect(pageOffsets({ start: 0, end: 500 }, 200, 150)).toEqual([0]);
    expect(pageOffsets({ start: 300, end: 500 }, 200, 150)).toEqual([]);
  });
});

describe('grid of 10,000 thumbnails', () => {
  it('fits as many columns as the width allows, at least one', () => {
    // 164 px cells with 10 px gaps: 5 cells need 5 * 164 + 4 * 10 = 860 px.
    expect(gridColumns(860, 164, 10)).toBe(5);
    expect(gridColumns(859, 164, 10)).toBe(4);
    expect(gridColumns(100, 164, 10)).toBe(1);
    expect(gridColumns(0, 164, 10)).toBe(1);
  });

  it('maps visible rows to items, the last row short', () => {
    const layout = layoutFor(N, 6, 222);
    expect(layout.rowCount).toBe(1667);
    const rows = visibleRows(layout, { scrollTop: 222 * 1000, height: 700 }, 2);
    expect(rows).toEqual({ start: 998, end: 1006 });
    const items = itemsOfRows(rows, 6, N);
    expect(items).toEqual({ start: 5988, end: 6036 });
    // The middle (item 6012) lies in the page at 6000: it comes first.
    expect(pageOffsets(items, 200, N)).toEqual([6000, 5800]);
    const last = itemsOfRows(visibleRows(layout, { scrollTop: 1667 * 222 - 700, height: 700 }, 2), 6, N);
    expect(last.end).toBe(N);
  });
});

describe('revealRow', () => {
  const layout = layoutFor(N, 1, 40);
  it('scrolls up to a row above the view and down to one below it, as little as needed', () => {
    expect(revealRow(10, layout, { scrollTop: 800, height: 400 })).toBe(400);
    expect(revealRow(40, layout, { scrollTop: 800, height: 400 })).toBe(41 * 40 - 400);
    expect(revealRow(25, layout, { scrollTop: 800, height: 400 })).toBe(800);
  });
});

describe('moveFocus', () => {
  it('moves by one in a list and ignores left and right', () => {
    expect(moveFocus(5, 'ArrowDown', N, 1, 15)).toBe(6);
    expect(moveFocus(5, 'ArrowUp', N, 1, 15)).toBe(4);
    expect(moveFocus(0, 'ArrowUp', N, 1, 15)).toBe(0);
    expect(moveFocus(5, 'ArrowRight', N, 1, 15)).toBeNull();
    expect(moveFocus(5, 'PageDown', N, 1, 15)).toBe(20);
    expect(moveFocus(9995, 'PageDown', N, 1, 15)).toBe(N - 1);
    expect(moveFocus(5, 'End', N, 1, 15)).toBe(N - 1);
    expect(moveFocus(5, 'Home', N, 1, 15)).toBe(0);
  });

  it('moves by a row in a grid and stays in its column at the edges', () => {
    expect(moveFocus(7, 'ArrowDown', 20, 6, 3)).toBe(13);
    expect(moveFocus(7, 'ArrowRight', 20, 6, 3)).toBe(8);
    expect(moveFocus(16, 'ArrowDown', 20, 6, 3)).toBe(16);
    expect(moveFocus(3, 'ArrowUp', 20, 6, 3)).toBe(3);
    expect(moveFocus(19, 'ArrowRight', 20, 6, 3)).toBe(19);
    expect(moveFocus(15, 'PageUp', 20, 6, 2)).toBe(3);
    expect(moveFocus(1, 'PageDown', 20, 6, 2)).toBe(13);
  });

  it('lands on the first item from no focus, and nowhere in an empty list', () => {
    expect(moveFocus(-1, 'ArrowDown', 20, 6, 3)).toBe(0);
    expect(moveFocus(-1, 'End', 20, 6, 3)).toBe(19);
    expect(moveFocus(-1, 'ArrowDown', 0, 6, 3)).toBeNull();
  });
});
