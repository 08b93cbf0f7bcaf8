import { historyShortcut } from '../shortcuts';

/** Inputs that hold no text of their own: Ctrl+Z there is the report's undo, not the field's. */
const untypedInputs = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file']);

/**
 * Undo/redo on the Report screen: Ctrl+Z, Ctrl+Shift+Z and Ctrl+Y (Cmd on macOS). Inside a text
 * field the browser's own undo stays in charge (historyShortcut leaves fields alone); a checkbox
 * the user just ticked keeps the focus, yet has no undo of its own, so there the report's applies.
 */
export function reportHistoryShortcut(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey' | 'target'>): 'undo' | 'redo' | null {
  const target = event.target as { tagName?: string; type?: string } | null;
  const untyped = target?.tagName?.toLowerCase() === 'input' && untypedInputs.has((target.type ?? '').toLowerCase());
  return historyShortcut(untyped ? { key: event.key, ctrlKey: event.ctrlKey, metaKey: event.metaKey, altKey: event.altKey, shiftKey: event.shiftKey, target: null } : event);
}
