import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where Lumen keeps what it writes outside a project folder: its cache of compiled attribution
 * graphs, and the projects of dataset evaluations run on a folder without one (under
 * `dataset-evaluations/`, kept so that running one again resumes it). LUMEN_CACHE_DIR, else the
 * platform's user cache folder.
 */
export function cacheDir(): string {
  const fromEnv = process.env['LUMEN_CACHE_DIR'];
  if (fromEnv) return fromEnv;
  switch (process.platform) {
    case 'darwin':
      return join(homedir(), 'Library', 'Caches', 'Lumen');
    case 'win32':
      return join(process.env['LOCALAPPDATA'] ?? join(homedir(), 'AppData', 'Local'), 'Lumen', 'Cache');
    default:
      return join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'lumen');
  }
}
