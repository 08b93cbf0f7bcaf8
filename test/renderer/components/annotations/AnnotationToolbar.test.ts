// @vitest-environment jsdom
import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import ToolbarHarness from './ToolbarHarness.svelte';

describe('AnnotationToolbar', () => {
  it('one pressed tool and one pressed colour at a time, a count and a help line for the tool', async () => {
    render(ToolbarHarness, { props: { count: 3 } });
    const pressed = (name: string): string | null => screen.getByRole('button', { name }).getAttribute('aria-pressed');
    expect(pressed('Pan')).toBe('true');
    expect(screen.getByText('3 annotations')).toBeTruthy();
    expect(screen.getByText(/Drag to pan, scroll to zoom/)).toBeTruthy();

    await fireEvent.click(screen.getByRole('button', { name: 'Box' }));
    expect(pressed('Box')).toBe('true');
    expect(pressed('Pan')).toBe('false');
    expect(screen.getByText(/Drag across the region to draw a box/)).toBeTruthy();
    expect(screen.getByTestId('state').textContent).toBe('box #ffcc00');

    expect(pressed('Yellow')).toBe('true');
    await fireEvent.click(screen.getByRole('button', { name: 'Red' }));
    expect(pressed('Red')).toBe('true');
    expect(pressed('Yellow')).toBe('false');
    expect(screen.getByTestId('state').textContent).toBe('box #ff4d4f');
  });

  it('without a project image the drawing tools are off and a line says why', () => {
    render(ToolbarHarness, { props: { count: 0, disabled: true } });
    expect((screen.getByRole('button', { name: 'Box' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Pan' }) as HTMLButtonElement).disabled).toBe(false);
    expect(screen.getByText(/Annotations are kept in a project/)).toBeTruthy();
    expect(screen.getByText('No annotations')).toBeTruthy();
  });
});
