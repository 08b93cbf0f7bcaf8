/**
 * Selection of dataset images by path, as file managers do it: a click selects one image, Shift
 * extends from the anchor to the clicked image, Ctrl/Cmd toggles one (and both add a range).
 * Indices are positions in the current ordering; paths are what is selected, so a selection
 * survives re-sorting and filtering.
 */

export interface Selection {
  readonly paths: ReadonlySet<string>;
  /** Where the last plain or toggling click landed: one end of a Shift range. */
  readonly anchor: number | null;
}

export const emptySelection: Selection = { paths: new Set(), anchor: null };

export interface Modifiers {
  /** Shift: a range from the anchor. */
  range: boolean;
  /** Ctrl or Cmd: toggle, or add a range to what is selected. */
  toggle: boolean;
}

/** The indices from a to b, both included, in either order. */
export function rangeBetween(a: number, b: number): { from: number; to: number } {
  return { from: Math.min(a, b), to: Math.max(a, b) };
}

/**
 * The selection after a click on item `index` (path `path`). `rangePaths` are the paths from the
 * anchor to `index` (both ends included; the caller loads them first) and are only read for Shift.
 */
export function clickSelection(selection: Selection, index: number, path: string, modifiers: Modifiers, rangePaths: readonly string[] = [path]): Selection {
  if (modifiers.range && selection.anchor !== null) {
    const paths = modifiers.toggle ? new Set(selection.paths) : new Set<string>();
    for (const p of rangePaths) paths.add(p);
    return { paths, anchor: selection.anchor };
  }
  if (modifiers.toggle) {
    const paths = new Set(selection.paths);
    if (paths.has(path)) paths.delete(path);
    else paths.add(path);
    return { paths, anchor: index };
  }
  return { paths: new Set([path]), anchor: index };
}

/** Toggles one path (Space on the focused item); the item becomes the anchor. */
export function togglePath(selection: Selection, index: number, path: string): Selection {
  return clickSelection(selection, index, path, { range: false, toggle: true });
}

export function selectAll(paths: Iterable<string>): Selection {
  return { paths: new Set(paths), anchor: null };
}

/** A new ordering (search, filter, sort): indices change meaning, so the anchor goes. */
export function forgetAnchor(selection: Selection): Selection {
  return selection.anchor === null ? selection : { paths: selection.paths, anchor: null };
}

/**
 * The paths of items `from`..`to` (both included): those in the cache from `rowAt`, the rest
 * fetched with `fetchRows` in windows of up to `window` rows. `onProgress` hears rows gathered.
 */
export async function collectPaths(
  from: number,
  to: number,
  rowAt: (index: number) => { path: string } | undefined,
  fetchRows: (offset: number, limit: number) => Promise<Array<{ path: string }>>,
  options: { window?: number; onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {},
): Promise<string[]> {
  const window = options.window ?? 1000;
  const count = Math.max(0, to - from + 1);
  const paths = new Array<string | undefined>(count);
  const gaps: Array<{ start: number; end: number }> = [];
  for (let i = 0; i < count; i++) {
    const row = rowAt(from + i);
    if (row) paths[i] = row.path;
    else {
      const last = gaps[gaps.length - 1];
      if (last && last.end === i && last.end - last.start < window) last.end = i + 1;
      else gaps.push({ start: i, end: i + 1 });
    }
  }
  let done = count - gaps.reduce((s, g) => s + g.end - g.start, 0);
  options.onProgress?.(done, count);
  for (const gap of gaps) {
    if (options.signal?.aborted) throw new DOMException('The selection was abandoned.', 'AbortError');
    const rows = await fetchRows(from + gap.start, gap.end - gap.start);
    rows.forEach((r, k) => {
      if (gap.start + k < gap.end) paths[gap.start + k] = r.path;
    });
    done += gap.end - gap.start;
    options.onProgress?.(done, count);
  }
  return paths.filter((p): p is string => p !== undefined);
}
