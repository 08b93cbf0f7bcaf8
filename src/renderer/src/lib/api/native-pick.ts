import { z } from 'zod';
import type { PickKind } from '../../../../shared/contract/native-picks';
import { ErrorPayload, LumenError } from '../../../../shared/errors';
import { preloadApi } from './preload';

/** Shows the app's native dialog for one kind of path; the picked path, or null when cancelled. */
export type NativePicker = (kind: PickKind) => Promise<string | null>;

// The preload's answer crosses a process boundary: read it as the contract says, never trust it.
const PickAnswer = z.union([
  z.object({ ok: z.literal(true), paths: z.array(z.string().min(1)) }).strict(),
  z.object({ ok: z.literal(false), error: ErrorPayload }).strict(),
]);

/**
 * The native dialogs, where the page runs in Electron: null in a browser, where the user types
 * paths (the engine confines them). The path a dialog returns is already granted to the engine.
 */
export function nativePicker(): NativePicker | null {
  const pick = preloadApi()?.pick;
  if (!pick) return null;
  return async (kind) => {
    const answer = PickAnswer.safeParse(await pick({ kind }));
    if (!answer.success) {
      throw new LumenError('internal', 'The file dialog gave an answer Lumen cannot read.', 'This is a bug in Lumen; type the path in the field instead.');
    }
    if (!answer.data.ok) throw LumenError.fromPayload(answer.data.error);
    return answer.data.paths[0] ?? null;
  };
}
