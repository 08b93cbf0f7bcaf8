import { describe, expect, it } from 'vitest';
import { historyShortcut, shortcutFor } from '../../../src/renderer/src/lib/shortcuts';

const key = (k: string, extra: Partial<{ ctrlKey: boolean; tagName: string }> = {}) => ({
  key: k,
  ctrlKey: extra.ctrlKey ?? false,
  metaKey: false,
  altKey: false,
  target: { tagName: extra.tagName ?? 'DIV' } as unknown as EventTarget,
});

describe('keyboard shortcuts', () => {
  it('maps digits to screens in navigation order', () => {
    expect(shortcutFor(key('1'))).toEqual({ kind: 'screen', screen: 'start' });
    expect(shortcutFor(key('3'))).toEqual({ kind: 'screen', screen: 'inspector' });
    expect(shortcutFor(key('6'))).toEqual({ kind: 'screen', screen: 'report' });
    expect(shortcutFor(key('8'))).toEqual({ kind: 'screen', screen: 'settings' });
    expect(shortcutFor(key('9'))).toBeNull();
  });
  it('maps the display keys', () => {
    expect(shortcutFor(key(']'))).toEqual({ kind: 'opacity', delta: 0.1 });
    expect(shortcutFor(key('C'))).toEqual({ kind: 'colormap' });
  });
  it('leaves keys typed into fields and modified keys alone', () => {
    expect(shortcutFor(key('e', { tagName: 'INPUT' }))).toBeNull();
    expect(shortcutFor(key('1', { tagName: 'TEXTAREA' }))).toBeNull();
    expect(shortcutFor(key('c', { ctrlKey: true }))).toBeNull();
  });
});

describe('undo and redo keys', () => {
  const press = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }>, tagName = 'svg') => ({
    key: k,
    ctrlKey: mods.ctrlKey ?? false,
    metaKey: mods.metaKey ?? false,
    altKey: mods.altKey ?? false,
    shiftKey: mods.shiftKey ?? false,
    target: { tagName } as unknown as EventTarget,
  });
  it('Ctrl+Z and Cmd+Z undo; Ctrl+Shift+Z (its key reads "Z") and Ctrl+Y redo', () => {
    expect(historyShortcut(press('z', { ctrlKey: true }))).toBe('undo');
    expect(historyShortcut(press('z', { metaKey: true }))).toBe('undo');
    expect(historyShortcut(press('Z', { ctrlKey: true, shiftKey: true }))).toBe('redo');
    expect(historyShortcut(press('y', { ctrlKey: true }))).toBe('redo');
  });
  it('is nothing without Ctrl/Cmd, with Alt, for other keys, or while typing in a field', () => {
    expect(historyShortcut(press('z', {}))).toBeNull();
    expect(historyShortcut(press('z', { ctrlKey: true, altKey: true }))).toBeNull();
    expect(historyShortcut(press('x', { ctrlKey: true }))).toBeNull();
    expect(historyShortcut(press('z', { ctrlKey: true }, 'TEXTAREA'))).toBeNull();
    expect(historyShortcut(press('y', { ctrlKey: true }, 'INPUT'))).toBeNull();
    expect(historyShortcut({ ...press('z', { ctrlKey: true }), target: { tagName: 'DIV', isContentEditable: true } as unknown as EventTarget })).toBeNull();
  });
});
