// @vitest-environment jsdom
import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import CompletenessWarning from '../../../../src/renderer/src/components/warnings/CompletenessWarning.svelte';
import WarningList from '../../../../src/renderer/src/components/warnings/WarningList.svelte';

describe('CompletenessWarning', () => {
  it('shows the error relative to f(x) − f(baseline) quietly when within 5 %', () => {
    const { container } = render(CompletenessWarning, { props: { figures: { completenessError: 0.01, outputDifference: 2 }, params: { steps: 50, stepRule: 'gauss-legendre' }, label: 'completeness error' } });
    expect(container.textContent!.trim()).toBe('completeness error 0.50 % of f(x) − f(baseline) (error 0.0100 of 2.00)');
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('warns above 5 %, telling to raise the steps (and which) used', () => {
    render(CompletenessWarning, { props: { figures: { completenessError: 0.5, outputDifference: -2 }, params: { steps: 8, stepRule: 'riemann-left' } } });
    const warning = screen.getByRole('status');
    expect(warning.textContent).toContain('⚠ 25 % of f(x) − f(baseline) (error 0.500 of -2.00)');
    expect(warning.textContent).toContain('— raise the steps: use more steps (8 now; try 32) or the gauss-legendre step rule');
    expect(warning.getAttribute('data-relative-completeness')).toBe('0.250000');
    expect(warning.getAttribute('title')).toContain('To fix: raise the steps');
  });

  it('compact: the short text, the whole in the tooltip', () => {
    render(CompletenessWarning, { props: { figures: { completenessError: 0.5, outputDifference: -2 }, params: { steps: 8 }, compact: true } });
    const warning = screen.getByRole('status');
    expect(warning.textContent!.trim()).toBe('⚠ 25 % of f(x) − f(baseline)');
    expect(warning.getAttribute('title')).toMatch(/^25 % of f\(x\) − f\(baseline\) \(error 0\.500 of -2\.00\) .+To fix: raise the steps: use more steps \(8 now; try 32\)/);
  });

  it('renders nothing for results without the figures', () => {
    const { container } = render(CompletenessWarning, { props: { figures: { attributionSum: 1 } } });
    expect(container.textContent!.trim()).toBe('');
  });
});

describe('WarningList', () => {
  it('lists the warnings under a title, and renders nothing without any', () => {
    render(WarningList, { props: { title: 'Check this', warnings: ['one', 'two'] } });
    const list = screen.getByRole('status', { name: 'Check this' });
    expect([...list.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['one', 'two']);
    const empty = render(WarningList, { props: { title: 'Empty', warnings: [] } });
    expect(empty.container.textContent!.trim()).toBe('');
  });
});
