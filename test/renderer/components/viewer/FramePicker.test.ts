// @vitest-environment jsdom
import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import FramePicker from '../../../../src/renderer/src/components/viewer/FramePicker.svelte';

describe('the frame picker of a colour multi-frame DICOM image', () => {
  it('shows the frame the model sees and offers another only when a valid other frame is typed', async () => {
    const used: number[] = [];
    render(FramePicker, { props: { frame: { index: 0, count: 2 }, onuseframe: (f: number) => used.push(f) } });
    const input = screen.getByLabelText('Frame') as HTMLInputElement;
    expect(input.value).toBe('1');
    expect(screen.getByText('of 2')).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
    await fireEvent.input(input, { target: { value: '3' } });
    expect(screen.queryByRole('button')).toBeNull();
    await fireEvent.input(input, { target: { value: '2' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Explain frame 2' }));
    expect(used).toEqual([1]);
  });
});
