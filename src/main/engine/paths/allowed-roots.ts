import { LumenError } from '../../../shared/errors';
import { isWithin, realPath } from './confine';

/** What a root lets the page do: read files under it, or also write them. */
export type RootAccess = 'read' | 'write';

/**
 * The folders the browser door may name, held by the engine: what the user chose (projects
 * opened or created, dataset folders imported, files picked) and Lumen's own folders. Each is kept
 * as its real path, and every path asked about is resolved to its real path before the check.
 */
export class AllowedRoots {
  private readonly roots = new Map<string, RootAccess>();

  allow(path: string, access: RootAccess): void {
    const real = realPath(path);
    // Write access includes read; a read grant never takes write away.
    if (this.roots.get(real) !== 'write') this.roots.set(real, access);
  }

  /** The real path of `path` when a root allows this access to it; null when none does. */
  find(path: string, access: RootAccess): string | null {
    const real = realPath(path);
    for (const [root, granted] of this.roots) {
      if ((access === 'read' || granted === 'write') && isWithin(root, real)) return real;
    }
    return null;
  }

  /** Whether `path` is itself a root given with this access (a project opened in the page). */
  isRoot(path: string, access: RootAccess): boolean {
    const granted = this.roots.get(realPath(path));
    return granted !== undefined && (access === 'read' || granted === 'write');
  }

  /**
   * The real path of a file the page may read; anything else is refused with a line that says how
   * to make it available. `what` names the file in the message ("the model", "the image").
   */
  readable(path: string, what: string): string {
    const real = this.find(path, 'read');
    if (real !== null) return real;
    throw new LumenError(
      'invalid-argument',
      `${what} ${path} is outside the folders this page may read.`,
      'Open the project that holds it, import its folder as a dataset, or pick the file in the page.',
      { path, refused: 'outside-allowed-folders' },
    );
  }

  /** The real path of a file the page may write: inside a project it opened, or Lumen's own folders. */
  writable(path: string, what: string): string {
    const real = this.find(path, 'write');
    if (real !== null) return real;
    throw new LumenError('invalid-argument', `${what} ${path} is outside the folders this page may write.`, 'Choose a place inside the open project’s folder, or open the project that holds it first.', {
      path,
      refused: 'outside-allowed-folders',
    });
  }
}
