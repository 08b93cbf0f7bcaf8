// @vitest-environment jsdom
import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { formToMedical, type MedicalCardForm } from '../../../../src/renderer/src/lib/state/card-form-medical';
import MedicalFieldsHarness from './MedicalFieldsHarness.svelte';

function blank(): MedicalCardForm {
  return { window: 'none', windowPreset: 'lung', windowCenter: '', windowWidth: '', invert: false, zscore: false, valueRange: '', acceptsPhotometric: '', hadMedical: false };
}

describe("the Models screen's medical card fields", () => {
  it('show the preset list or centre/width for the chosen window kind, and edit the form', async () => {
    let form = blank();
    render(MedicalFieldsHarness, { props: { initial: blank(), source: (path: string) => (path === 'preprocess.window' ? 'from card' : ''), expose: (f: MedicalCardForm) => (form = f) } });
    const kind = screen.getByRole('combobox', { name: /preprocess\.window/ });
    expect(screen.getByText('from card')).toBeTruthy();
    expect(screen.queryByRole('combobox', { name: 'preset' })).toBeNull();
    await fireEvent.change(kind, { target: { value: 'preset' } });
    const preset = screen.getByRole('combobox', { name: 'preset' }) as HTMLSelectElement;
    expect(Array.from(preset.options).map((o) => o.textContent)).toContain('mediastinum (50 / 350)');
    await fireEvent.change(preset, { target: { value: 'bone' } });
    await fireEvent.click(screen.getByRole('checkbox', { name: /invert/ }));
    await fireEvent.input(screen.getByRole('textbox', { name: /valueRange/ }), { target: { value: '-1024, 1024' } });
    expect(formToMedical(form)).toEqual({ input: {}, preprocess: { window: { source: 'preset', name: 'bone' }, invert: true, valueRange: [-1024, 1024] } });
    await fireEvent.change(kind, { target: { value: 'fixed' } });
    await fireEvent.input(screen.getByRole('textbox', { name: 'centre' }), { target: { value: '40' } });
    await fireEvent.input(screen.getByRole('textbox', { name: 'width' }), { target: { value: '400' } });
    expect(formToMedical(form).preprocess.window).toEqual({ source: 'fixed', center: 40, width: 400 });
  });
});
