// @vitest-environment jsdom
import { render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import AxiomsTable from '../../../../src/renderer/src/components/charts/AxiomsTable.svelte';
import { axiomsRows } from '../../../../src/renderer/src/lib/charts/axioms';

const ig = {
  completenessError: 0.004,
  completenessHolds: 1,
  attributionSum: 2.05,
  outputDifference: 2.06,
  insertedBatchNorms: 2,
  implementationInvarianceSpearman: 0.9999,
  implementationInvarianceError: 2e-6,
  implementationInvarianceHolds: 1,
  dummyError: 0,
  dummyHolds: 1,
  symmetryError: 0.2,
  symmetryHolds: 0,
  checked: 4,
  passed: 3,
};
const gradCam = { completenessError: 0.7, completenessHolds: 0, attributionSum: 5, outputDifference: 2.06, syntheticNotApplicable: 1, checked: 1, passed: 0 };

describe('AxiomsTable', () => {
  it('shows a method × axiom table with the verdict and error per cell', () => {
    const rows = axiomsRows([
      { method: 'integrated-gradients', metrics: [{ metric: 'axioms', figures: ig, params: { tolerance: 0.01, seed: 0 } }] },
      { method: 'grad-cam', metrics: [{ metric: 'axioms', figures: gradCam, params: { tolerance: 0.01, seed: 0 } }] },
    ]);
    render(AxiomsTable, { props: { rows } });
    const table = screen.getByRole('table', { name: 'Axioms of attribution (holds when the relative error is at most 0.01)' });
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent?.trim())).toEqual(['Method', 'Completeness', 'Implementation invariance', 'Dummy', 'Symmetry', 'Passed']);

    const [igRow, camRow] = within(table).getAllByRole('row').slice(1);
    const cells = (row: HTMLElement) => within(row).getAllByRole('cell');
    expect(within(igRow!).getByRole('rowheader').textContent).toBe('integrated-gradients');
    expect(cells(igRow!).map((c) => c.getAttribute('data-status'))).toEqual(['holds', 'holds', 'holds', 'fails', null]);
    expect(cells(igRow!)[0]!.textContent).toContain('holds');
    expect(cells(igRow!)[0]!.textContent).toContain('error 4.0e-3');
    expect(cells(igRow!)[0]!.textContent).toContain('Σ attributions 2.05, f(x) − f(baseline) 2.06');
    expect(cells(igRow!)[3]!.textContent).toContain('fails');
    expect(cells(igRow!)[4]!.textContent).toBe('3 of 4');

    expect(cells(camRow!).map((c) => c.getAttribute('data-status'))).toEqual(['fails', 'not-measured', 'not-measured', 'not-measured', null]);
    expect(cells(camRow!)[2]!.textContent).toContain('cannot run on the synthetic model');
    expect(cells(camRow!)[4]!.textContent).toBe('0 of 1');
  });

  it('takes rows as the inspector builds them (method and figures) and says when there are none', () => {
    render(AxiomsTable, { props: { rows: [{ method: 'Gradient', figures: ig }] } });
    expect(screen.getByRole('table', { name: 'Axioms of attribution' })).toBeTruthy();
    const empty = render(AxiomsTable, { props: { rows: [] } });
    expect(empty.container.textContent).toContain('No axioms measured yet.');
  });
});
