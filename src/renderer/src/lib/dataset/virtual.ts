/**
 * The arithmetic of a virtualised list or grid: which rows are in view, which pages of rows to
 * fetch for them, where to scroll to reveal an item and where the arrow keys move the focus.
 * Pure functions of numbers, so they are tested without a DOM.
 */

/** A half-open range of indices, [start, end). */
export interface Range {
  start: number;
  end: number;
}

export const emptyRange: Range = { start: 0, end: 0 };

export interface Viewport {
  /** Pixels scrolled from the top of the rows (not counting any header above them). */
  scrollTop: number;
  /** Height of the part of the scroller that shows rows. */
  height: number;
}

/** How items are laid out: `columns` items side by side per row of `rowHeight` pixels. */
export interface Layout {
  columns: number;
  rowHeight: number;
  /** Rows of the layout (items / columns, rounded up). */
  rowCount: number;
}

/** Columns of cells that fit in `width`: at least one, cells `cellWidth` wide with `gap` between. */
export function gridColumns(width: number, cellWidth: number, gap: number): number {
  if (!(width > 0) || !(cellWidth > 0)) return 1;
  return Math.max(1, Math.floor((width + gap) / (cellWidth + gap)));
}

export function layoutFor(itemCount: number, columns: number, rowHeight: number): Layout {
  const c = Math.max(1, Math.floor(columns));
  return { columns: c, rowHeight, rowCount: Math.ceil(Math.max(0, itemCount) / c) };
}

/** The rows in view, widened by `overscan` rows on each side and clamped to the rows there are. */
export function visibleRows(layout: Layout, viewport: Viewport, overscan: number): Range {
  const { rowCount, rowHeight } = layout;
  if (rowCount <= 0 || !(rowHeight > 0)) return emptyRange;
  const top = Math.max(0, viewport.scrollTop);
  const first = Math.min(rowCount, Math.floor(top / rowHeight));
  const last = Math.min(rowCount, Math.ceil((top + Math.max(0, viewport.height)) / rowHeight));
  const start = Math.max(0, first - overscan);
  const end = Math.min(rowCount, Math.max(last, first + 1) + overscan);
  return { start, end: Math.max(start, end) };
}

/** The items of a range of rows. */
export function itemsOfRows(rows: Range, columns: number, itemCount: number): Range {
  const start = Math.min(itemCount, rows.start * columns);
  return { start, end: Math.min(itemCount, Math.max(start, rows.end * columns)) };
}

/**
 * Offsets of the pages (of `pageSize` items) that cover `items`, nearest the middle of the range
 * first, so what the user looks at arrives before the overscan.
 */
export function pageOffsets(items: Range, pageSize: number, total: number): number[] {
  const end = Math.min(items.end, total);
  if (end <= items.start || pageSize <= 0) return [];
  const offsets: number[] = [];
  for (let o = Math.floor(items.start / pageSize) * pageSize; o < end; o += pageSize) offsets.push(o);
  const middle = (items.start + end) / 2;
  return offsets.sort((a, b) => Math.abs(a + pageSize / 2 - middle) - Math.abs(b + pageSize / 2 - middle) || a - b);
}

/** The scroll position that brings `row` fully into view, moving as little as possible. */
export function revealRow(row: number, layout: Layout, viewport: Viewport): number {
  const top = row * layout.rowHeight;
  const bottom = top + layout.rowHeight;
  if (top < viewport.scrollTop) return top;
  if (bottom > viewport.scrollTop + viewport.height) return Math.max(0, bottom - viewport.height);
  return viewport.scrollTop;
}

export type NavigationKey = 'ArrowUp' | 'ArrowDown' | 'ArrowLeft' | 'ArrowRight' | 'Home' | 'End' | 'PageUp' | 'PageDown';

export function isNavigationKey(key: string): key is NavigationKey {
  return ['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End', 'PageUp', 'PageDown'].includes(key);
}

/**
 * Where a key moves the focus among `count` items laid out `columns` per row, with `pageRows`
 * rows in view; null when it does not move (a list has no left or right, an empty list no focus).
 * From no focus (-1) any key lands on the first item.
 */
export function moveFocus(index: number, key: NavigationKey, count: number, columns: number, pageRows: number): number | null {
  if (count <= 0) return null;
  if (index < 0 || index >= count) return key === 'End' ? count - 1 : 0;
  const page = Math.max(1, pageRows) * columns;
  let next: number;
  switch (key) {
    case 'ArrowRight':
      if (columns === 1) return null;
      next = index + 1;
      break;
    case 'ArrowLeft':
      if (columns === 1) return null;
      next = index - 1;
      break;
    case 'ArrowDown':
      // From a short last row's column, moving down stays put rather than wrapping.
      next = index + columns < count ? index + columns : index;
      break;
    case 'ArrowUp':
      next = index - columns >= 0 ? index - columns : index;
      break;
    case 'Home':
      next = 0;
      break;
    case 'End':
      next = count - 1;
      break;
    case 'PageDown':
      next = Math.min(count - 1, index + page);
      break;
    case 'PageUp':
      next = index - page >= 0 ? index - page : index % columns;
      break;
  }
  return Math.min(count - 1, Math.max(0, next));
}
