import type { Screen } from './state/workspace.svelte';

export type ShortcutAction =
  | { kind: 'screen'; screen: Screen }
  | { kind: 'jobs' }
  | { kind: 'explain' }
  | { kind: 'overlay' }
  | { kind: 'opacity'; delta: number }
  | { kind: 'colormap' }
  | { kind: 'theme' }
  | { kind: 'help' };

const screens: Screen[] = ['start', 'dataset', 'inspector', 'compare', 'audit', 'report', 'models', 'settings'];

/**
 * The frequent actions, one key each. Keys typed into a field are the field's, never a shortcut;
 * with a modifier held they belong to the browser or the system.
 */
export function shortcutFor(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'target'>): ShortcutAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  const target = event.target as { tagName?: string; isContentEditable?: boolean } | null;
  const tag = target?.tagName?.toLowerCase();
  if (tag === 'input' || tag === 'textarea' || tag === 'select' || target?.isContentEditable) return null;
  const digit = Number(event.key);
  if (Number.isInteger(digit) && digit >= 1 && digit <= screens.length) return { kind: 'screen', screen: screens[digit - 1]! };
  switch (event.key.toLowerCase()) {
    case 'j':
      return { kind: 'jobs' };
    case 'e':
      return { kind: 'explain' };
    case 'o':
      return { kind: 'overlay' };
    case '[':
      return { kind: 'opacity', delta: -0.1 };
    case ']':
      return { kind: 'opacity', delta: 0.1 };
    case 'c':
      return { kind: 'colormap' };
    case 't':
      return { kind: 'theme' };
    case '?':
      return { kind: 'help' };
    default:
      return null;
  }
}

/**
 * Undo and redo: Ctrl+Z (Cmd+Z on macOS), and Ctrl+Shift+Z or Ctrl+Y. Null for other keys, and
 * while typing in a field (a text field has its own undo).
 */
export function historyShortcut(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey' | 'target'>): 'undo' | 'redo' | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return null;
  const target = event.target as { tagName?: string; isContentEditable?: boolean } | null;
  const tag = target?.tagName?.toLowerCase();
  if (tag === 'input' || tag === 'textarea' || tag === 'select' || target?.isContentEditable) return null;
  const key = event.key.toLowerCase();
  if (key === 'z') return event.shiftKey ? 'redo' : 'undo';
  if (key === 'y' && !event.shiftKey) return 'redo';
  return null;
}
