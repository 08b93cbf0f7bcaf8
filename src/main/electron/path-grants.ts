import type { AllowPathMessage } from '../engine-host/allow-path';
import { AllowedRoots } from '../engine/paths/allowed-roots';

/**
 * What the main process has granted the engine: the paths picked in native dialogs and the
 * projects the page opened. Kept here for two reasons: a fresh engine (the last one crashed) is
 * told them all again before its first request, and the main process's own writes (the PDF
 * export, printed here) hold the rule the engine holds for every other write.
 */
export class PathGrants {
  private readonly given = new Map<string, AllowPathMessage>();
  readonly roots = new AllowedRoots();

  record(grant: AllowPathMessage): void {
    this.given.set(`${grant.access}\u0000${grant.path}`, grant);
    this.roots.allow(grant.path, grant.access);
  }

  /** Sends every grant to a (new) engine; its channel is ordered, so they land before any request. */
  replayTo(port: { postMessage(message: unknown): void }): void {
    for (const grant of this.given.values()) port.postMessage(grant);
  }
}
