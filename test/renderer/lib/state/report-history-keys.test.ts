import { describe, expect, it } from 'vitest';
import { reportHistoryShortcut } from '../../../../src/renderer/src/lib/state/report-history-keys';

const key = (key: string, extra: { ctrlKey?: boolean; metaKey?: boolean; shiftKey?: boolean; altKey?: boolean; target?: { tagName: string; type?: string } | null } = {}) =>
  reportHistoryShortcut({ key, ctrlKey: extra.ctrlKey ?? true, metaKey: extra.metaKey ?? false, shiftKey: extra.shiftKey ?? false, altKey: extra.altKey ?? false, target: (extra.target ?? null) as unknown as EventTarget });

describe('undo and redo keys on the Report screen', () => {
  it('Ctrl+Z undoes; Ctrl+Shift+Z and Ctrl+Y redo; Cmd works as Ctrl', () => {
    expect(key('z')).toBe('undo');
    expect(key('Z', { shiftKey: true })).toBe('redo');
    expect(key('y')).toBe('redo');
    expect(key('z', { ctrlKey: false, metaKey: true })).toBe('undo');
    expect(key('z', { ctrlKey: false })).toBeNull();
    expect(key('z', { altKey: true })).toBeNull();
  });

  it('leaves a text field its own undo, but not a checkbox the user just ticked', () => {
    expect(key('z', { target: { tagName: 'INPUT', type: 'text' } })).toBeNull();
    expect(key('z', { target: { tagName: 'TEXTAREA' } })).toBeNull();
    expect(key('z', { target: { tagName: 'INPUT', type: 'number' } })).toBeNull();
    expect(key('z', { target: { tagName: 'INPUT', type: 'checkbox' } })).toBe('undo');
    expect(key('y', { target: { tagName: 'BUTTON' } })).toBe('redo');
  });
});
