// @vitest-environment jsdom
import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import AnnotationToolbar from '../../../../src/renderer/src/components/annotations/AnnotationToolbar.svelte';

function mount(props: { undoLabel?: string | null; redoLabel?: string | null; disabled?: boolean; reason?: string | null }) {
  const onundo = vi.fn();
  const onredo = vi.fn();
  const result = render(AnnotationToolbar, { props: { count: 1, onundo, onredo, ...props } });
  return { ...result, onundo, onredo };
}

const button = (name: RegExp | string): HTMLButtonElement => screen.getByRole('button', { name }) as HTMLButtonElement;

describe('AnnotationToolbar undo and redo', () => {
  it('buttons named after the edit they undo or redo, disabled when there is none', async () => {
    const { onundo, onredo, rerender } = mount({ undoLabel: 'moving a box', redoLabel: null });
    const undo = button('Undo moving a box');
    expect(undo.disabled).toBe(false);
    expect(undo.title).toBe('Undo moving a box (Ctrl+Z)');
    expect(button('Redo').disabled).toBe(true);
    await fireEvent.click(undo);
    expect(onundo).toHaveBeenCalledTimes(1);

    await rerender({ undoLabel: null, redoLabel: 'moving a box' });
    expect(button('Undo').disabled).toBe(true);
    await fireEvent.click(button('Redo moving a box'));
    expect(onredo).toHaveBeenCalledTimes(1);
  });

  it('Ctrl+Z, Cmd+Z, Ctrl+Shift+Z and Ctrl+Y anywhere on the page; not while typing in a field', async () => {
    const { onundo, onredo } = mount({ undoLabel: 'drawing a box', redoLabel: 'deleting a note' });
    await fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true });
    await fireEvent.keyDown(document.body, { key: 'z', metaKey: true });
    expect(onundo).toHaveBeenCalledTimes(2);
    await fireEvent.keyDown(document.body, { key: 'Z', ctrlKey: true, shiftKey: true });
    await fireEvent.keyDown(document.body, { key: 'y', ctrlKey: true });
    expect(onredo).toHaveBeenCalledTimes(2);

    const field = document.createElement('textarea');
    document.body.append(field);
    await fireEvent.keyDown(field, { key: 'z', ctrlKey: true });
    await fireEvent.keyDown(field, { key: 'y', ctrlKey: true });
    expect(onundo).toHaveBeenCalledTimes(2);
    expect(onredo).toHaveBeenCalledTimes(2);
    // A plain z is no shortcut of this toolbar.
    await fireEvent.keyDown(document.body, { key: 'z' });
    expect(onundo).toHaveBeenCalledTimes(2);
    field.remove();
  });

  it('a read-only project allows neither: the buttons are off with the reason, the keys do nothing', async () => {
    const reason = 'The project is read-only (its folder cannot be written).';
    const { onundo, onredo } = mount({ undoLabel: 'drawing a box', redoLabel: 'moving a box', disabled: true, reason });
    expect(button('Undo').disabled).toBe(true);
    expect(button('Undo').title).toBe(reason);
    expect(button('Redo').disabled).toBe(true);
    await fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true });
    await fireEvent.keyDown(document.body, { key: 'y', ctrlKey: true });
    expect(onundo).not.toHaveBeenCalled();
    expect(onredo).not.toHaveBeenCalled();
  });
});
