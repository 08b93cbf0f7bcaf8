/**
 * When an explanation kept from before (in the session or in the project) no longer shows what
 * Lumen would compute now, and why, in one line the inspector shows with a "stale" badge. One rule
 * for both ends: the engine applies it to stored explanations, the renderer to those it kept.
 *
 * Stale: another model (by content, not by name), another Lumen version, or parameters the method
 * no longer accepts. Not stale: the method's defaults having changed since; the stored parameters
 * are what was asked, and asking them again gives the same map.
 */
export interface ExplanationOrigin {
  model: { sha256: string; fileName: string };
  lumenVersion: string;
}

export interface CurrentOrigin {
  modelSha256: string;
  lumenVersion: string;
  /** Why the method refuses the stored parameters now (or that the method is gone); undefined when it accepts them. */
  paramsProblem?: string;
}

/** The first 12 hex digits of a sha256: enough for a person to tell two models apart. */
export function shortSha(sha256: string): string {
  return sha256.slice(0, 12);
}

export function staleReason(made: ExplanationOrigin, now: CurrentOrigin): string | null {
  if (made.model.sha256 !== now.modelSha256) return `Made with another model, ${made.model.fileName} (sha ${shortSha(made.model.sha256)}): recompute it with this one.`;
  if (now.paramsProblem) return `Its parameters no longer fit the method (${now.paramsProblem}): recompute it.`;
  if (made.lumenVersion !== now.lumenVersion) return `Made by Lumen ${made.lumenVersion} (this is ${now.lumenVersion}): recompute it.`;
  return null;
}
