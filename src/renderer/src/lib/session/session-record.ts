import { z } from 'zod';

/**
 * Where the user was, kept in the page's localStorage so that a reload (or a restart of the app)
 * comes back to it: the theme, the screen, the open project (its dataset and the run shown as
 * columns), the model and the image. Paths and names only: no pixels, no results.
 */
export const sessionStorageKey = 'lumen.session';

const screens = ['start', 'dataset', 'inspector', 'compare', 'audit', 'report', 'models', 'settings'] as const;
const frame = z.number().int().nonnegative().optional();

/** The inspected image, as the workspace's ImageRef names it (a file by its name only: its bytes are gone after a reload). */
export const RememberedImage = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sample'), sampleId: z.string().min(1), frame }),
  z.object({ kind: z.literal('project'), project: z.string().min(1), dataset: z.string().min(1), path: z.string().min(1), frame }),
  z.object({ kind: z.literal('file'), name: z.string().min(1), frame }),
]);
export type RememberedImage = z.infer<typeof RememberedImage>;

export const SessionRecord = z.object({
  /** A record of another shape (an older or newer Lumen) is not read: it is ignored, then replaced. */
  version: z.literal(1),
  theme: z.enum(['dark', 'light']).optional(),
  screen: z.enum(screens).optional(),
  project: z.string().min(1).optional(),
  dataset: z.string().min(1).optional(),
  runId: z.number().int().positive().optional(),
  /** A model the user added: found again among the engine's open models by its digest. */
  model: z.object({ sha256: z.string().min(1), fileName: z.string().min(1), builtIn: z.boolean() }).optional(),
  image: RememberedImage.optional(),
});
export type SessionRecord = z.infer<typeof SessionRecord>;

/** What the page needs of localStorage (a test passes a Map-backed one). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The record read back: null when there is none, or when it is damaged or of another version (ignored, never thrown). */
export function readSessionRecord(storage: KeyValueStorage | null): SessionRecord | null {
  let text: string | null;
  try {
    text = storage?.getItem(sessionStorageKey) ?? null;
  } catch {
    // Storage may be refused (privacy settings, a sandboxed page): the session simply starts fresh.
    return null;
  }
  if (text === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = SessionRecord.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** Writes the record; a full or refused storage loses only the memory of where the user was. */
export function writeSessionRecord(storage: KeyValueStorage | null, record: SessionRecord): boolean {
  try {
    storage?.setItem(sessionStorageKey, JSON.stringify(SessionRecord.parse(record)));
    return storage !== null;
  } catch {
    return false;
  }
}

/** The page's localStorage, or null where there is none or it may not be used. */
export function pageStorage(): KeyValueStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
