// @vitest-environment jsdom
import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import ParamForm from '../../../../src/renderer/src/components/forms/ParamForm.svelte';
import type { FieldsState } from '../../../../src/renderer/src/lib/forms/validate-fields';
import { methodSchema, methodZod, metricSchema } from '../../helpers/catalogue-schemas';
import ParamFormHarness from './ParamFormHarness.svelte';

function mount(schema = methodSchema('integrated-gradients'), extra: Record<string, unknown> = {}) {
  const onchange = vi.fn<(state: FieldsState) => void>();
  const result = render(ParamForm, { props: { schema, onchange, ...extra } });
  const last = (): FieldsState => onchange.mock.lastCall![0];
  return { ...result, onchange, last };
}

const describedText = (el: HTMLElement): string =>
  (el.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');

describe('ParamForm', () => {
  it('renders one labelled control per parameter, with help text, bounds and the default as placeholder', () => {
    const { last } = mount();
    expect(last()).toEqual({ params: {}, errors: {}, valid: true });

    const steps = screen.getByLabelText('Steps') as HTMLInputElement;
    expect(steps.type).toBe('number');
    expect(steps.min).toBe('2');
    expect(steps.max).toBe('4096');
    expect(steps.step).toBe('1');
    expect(steps.value).toBe('');
    expect(steps.placeholder).toBe('default: 50');
    expect(describedText(steps)).toContain('Number of points on the integration path.');
    expect(describedText(steps)).toContain('Whole number, between 2 and 4096.');

    const objective = screen.getByLabelText('Objective') as HTMLSelectElement;
    expect(objective.tagName).toBe('SELECT');
    expect(objective.value).toBe('logit');
    expect([...objective.options].map((o) => o.textContent?.trim())).toEqual(['logit (default)', 'probability', 'log-probability', 'sigmoid']);

    const baseline = screen.getByLabelText('Baseline') as HTMLInputElement;
    expect(baseline.type).toBe('text');
    expect(baseline.list?.querySelectorAll('option')).toHaveLength(5);

    expect(screen.getAllByRole('spinbutton')).toHaveLength(3); // steps, blurSigma, seed
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('rejects an invalid value with a message and reports the form invalid', async () => {
    const { last } = mount();
    const steps = screen.getByLabelText('Steps') as HTMLInputElement;
    await fireEvent.input(steps, { target: { value: '1' } });

    const alert = screen.getByRole('alert');
    expect(alert.textContent).toBe('Steps must be an integer between 2 and 4096.');
    expect(steps.getAttribute('aria-invalid')).toBe('true');
    expect(steps.getAttribute('aria-errormessage')).toBe(alert.id);
    expect(describedText(steps)).toContain('Steps must be an integer between 2 and 4096.');
    expect(last().valid).toBe(false);
    expect(last().errors).toEqual({ steps: 'Steps must be an integer between 2 and 4096.' });
    expect(screen.getByRole('status').textContent).toBe('One field needs attention.');

    await fireEvent.input(steps, { target: { value: '2.5' } });
    expect(last().valid).toBe(false);
  });

  it('sends a valid value, and leaves out one equal to the default', async () => {
    const { last } = mount();
    const steps = screen.getByLabelText('Steps') as HTMLInputElement;
    await fireEvent.input(steps, { target: { value: '1' } });
    await fireEvent.input(steps, { target: { value: '64' } });
    expect(screen.queryByRole('alert')).toBeNull();
    expect(steps.hasAttribute('aria-invalid')).toBe(false);
    expect(last()).toEqual({ params: { steps: 64 }, errors: {}, valid: true });

    await fireEvent.input(screen.getByLabelText('Blur sigma'), { target: { value: '10' } });
    expect(last().params).toEqual({ steps: 64 });
  });

  it('takes enum choices from the select', async () => {
    const { last } = mount();
    await fireEvent.change(screen.getByLabelText('Step rule'), { target: { value: 'riemann-trapezoid' } });
    await fireEvent.change(screen.getByLabelText('Objective'), { target: { value: 'probability' } });
    expect(last().params).toEqual({ stepRule: 'riemann-trapezoid', objective: 'probability' });
    expect(methodZod('integrated-gradients').safeParse(last().params).success).toBe(true);
  });

  it('checks a name-or-file field', async () => {
    const { last } = mount();
    const baseline = screen.getByLabelText('Baseline');
    await fireEvent.input(baseline, { target: { value: 'grey' } });
    expect(screen.getByRole('alert').textContent).toBe('Baseline must be one of zeros, black, white, uniform-noise, blurred or a .npy file.');
    await fireEvent.input(baseline, { target: { value: 'refs/mean.npy' } });
    expect(last()).toMatchObject({ params: { baseline: 'refs/mean.npy' }, valid: true });
  });

  it('resets every field to its default', async () => {
    const { last } = mount();
    const steps = screen.getByLabelText('Steps') as HTMLInputElement;
    const reset = screen.getByRole('button', { name: 'Reset to defaults' }) as HTMLButtonElement;
    expect(reset.disabled).toBe(true);

    await fireEvent.input(steps, { target: { value: '0' } });
    await fireEvent.change(screen.getByLabelText('Objective'), { target: { value: 'log-probability' } });
    expect(last().valid).toBe(false);
    expect(reset.disabled).toBe(false);

    await fireEvent.click(reset);
    expect(last()).toEqual({ params: {}, errors: {}, valid: true });
    expect((screen.getByLabelText('Steps') as HTMLInputElement).value).toBe('');
    expect((screen.getByLabelText('Objective') as HTMLSelectElement).value).toBe('logit');
    expect(screen.queryByRole('alert')).toBeNull();
    expect((screen.getByRole('button', { name: 'Reset to defaults' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('edits lists as JSON and reports parse errors', async () => {
    const { last } = mount(methodSchema('xrai'));
    const scales = screen.getByLabelText('Scales') as HTMLTextAreaElement;
    expect(scales.tagName).toBe('TEXTAREA');
    expect(scales.placeholder).toBe('default: [50,100,150,250,500,1200]');
    await fireEvent.input(scales, { target: { value: '[100, 200' } });
    expect(screen.getByRole('alert').textContent).toMatch(/^Scales is not valid JSON: /);
    await fireEvent.input(scales, { target: { value: '[100, -1]' } });
    expect(screen.getByRole('alert').textContent).toBe('Scales item 2 must be a number greater than 0 and at most 100000.');
    await fireEvent.input(scales, { target: { value: '[100, 200]' } });
    expect(last()).toMatchObject({ params: { scales: [100, 200] }, valid: true });
  });

  it('edits booleans with checkboxes', async () => {
    const { last } = mount(metricSchema('faithfulness-correlation'));
    const normalise = screen.getByLabelText('Normalise') as HTMLInputElement;
    expect(normalise.type).toBe('checkbox');
    expect(normalise.checked).toBe(true);
    await fireEvent.click(normalise);
    expect(last().params).toEqual({ normalise: false });
  });

  it('starts from given values and can be disabled', () => {
    const { last, container } = mount(methodSchema('integrated-gradients'), { initial: { steps: 16, objective: 'probability' }, disabled: true });
    expect((screen.getByLabelText('Steps') as HTMLInputElement).value).toBe('16');
    expect(last().params).toEqual({ steps: 16, objective: 'probability' });
    expect(container.querySelector('fieldset')!.disabled).toBe(true);
  });

  it('says so when there is nothing to set', () => {
    mount({ type: 'object', properties: {} });
    expect(screen.getByText('No parameters to set.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Reset to defaults' })).toBeNull();
  });

  it('binds params and validity so that the caller disables its Run button', async () => {
    const onrun = vi.fn();
    render(ParamFormHarness, { props: { schema: methodSchema('lime'), onrun } });
    const run = screen.getByRole('button', { name: 'Run' }) as HTMLButtonElement;
    const samples = screen.getByLabelText('Samples');

    await fireEvent.input(samples, { target: { value: '0' } });
    expect(run.disabled).toBe(true);
    await fireEvent.input(samples, { target: { value: '200' } });
    expect(run.disabled).toBe(false);
    await fireEvent.click(run);
    expect(onrun).toHaveBeenCalledWith({ samples: 200 });
  });
});
