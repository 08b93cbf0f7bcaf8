import { describe, expect, it } from 'vitest';
import { shortcutFor } from '../../../src/renderer/src/lib/shortcuts';

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
