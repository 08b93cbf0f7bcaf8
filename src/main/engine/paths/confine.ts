import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * The real path of `path` (absolute, symbolic links resolved). A path that does not exist yet is
 * resolved through its nearest existing parent, so a file about to be written is judged by the
 * folder it will really land in, not by how its name is spelled.
 */
export function realPath(path: string): string {
  const absolute = resolve(path);
  const missing: string[] = [];
  let existing = absolute;
  for (;;) {
    try {
      return join(realpathSync.native(existing), ...missing.reverse());
    } catch {
      // Not there (yet), or not reachable (no permission, a loop of links): the part that does not
      // resolve is judged as spelled, under the real path of what does. Opening it fails the same way.
    }
    const parent = dirname(existing);
    if (parent === existing) return absolute;
    missing.push(basename(existing));
    existing = parent;
  }
}

/** Whether the real path `target` is `root` or lies under it (both already real and absolute). */
export function isWithin(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * Where `path` (relative to `root`, or absolute) really is, if that is inside `root`; null if it
 * is not. Both are resolved to real paths first, so neither `..` nor a symbolic link pointing out
 * of the root gets past. Callers open the returned path, never the one they were given: what was
 * checked is what is read or written. The one rule for every folder Lumen confines a path to.
 */
export function confine(root: string, path: string): string | null {
  const realRoot = realPath(root);
  const target = realPath(isAbsolute(path) ? path : join(realRoot, path));
  return isWithin(realRoot, target) ? target : null;
}
