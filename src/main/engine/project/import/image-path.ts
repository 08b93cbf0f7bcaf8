import { isAbsolute, normalize, relative, sep } from 'node:path';
import { confine, realPath } from '../../paths/confine';
import { shown } from './report';

/**
 * An image's path as a dataset stores it: relative to the root, forward-slashed. The one rule for
 * every importer (CSV, COCO, VOC, folders): a path that leaves the root, by `..`, as an absolute
 * path elsewhere or through a symbolic link, is a problem of its row, never a file Lumen reads.
 */
export function datasetPath(root: string, raw: string): { path: string } | { problem: string } {
  const given = raw.trim();
  if (given === '') return { problem: 'the path is empty' };
  const outside = { problem: `the path ${shown(given)} is outside the dataset root` };
  const real = confine(root, given);
  if (real === null) return outside;
  // Relative paths keep their own spelling (a folder linked inside the root stays as named);
  // absolute ones are made relative to where the root really is.
  const rel = isAbsolute(given) ? relative(realPath(root), real) : normalize(given);
  if (rel === '' || rel === '.' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return outside;
  return { path: rel.split(sep).join('/') };
}
