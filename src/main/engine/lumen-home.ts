import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Lumen's home folder for user state (settings, recent projects, imported models, edited cards,
 * the demo project): LUMEN_HOME, else the platform's user config folder. Nothing in it is needed
 * to open a project; deleting it resets Lumen to a fresh install.
 */
export function lumenHome(): string {
  const fromEnv = process.env['LUMEN_HOME'];
  if (fromEnv) return fromEnv;
  switch (process.platform) {
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support', 'Lumen');
    case 'win32':
      return join(process.env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'Lumen');
    default:
      return join(process.env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), 'lumen');
  }
}
