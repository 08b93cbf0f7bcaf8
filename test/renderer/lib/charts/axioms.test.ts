import { describe, expect, it } from 'vitest';
import { axiomCells, axiomScore, axiomsRows, formatError, sharedTolerance } from '../../../../src/renderer/src/lib/charts/axioms';

/** Figures as src/main/engine/metrics/axioms.ts returns them. */
const gradientFigures = {
  completenessError: 0.42,
  completenessHolds: 0,
  attributionSum: 1.2,
  outputDifference: 2.07,
  insertedBatchNorms: 3,
  implementationInvarianceSpearman: 1,
  implementationInvarianceError: 1e-7,
  implementationInvarianceHolds: 1,
  dummyError: 0,
  dummyHolds: 1,
  symmetryError: 0.003,
  symmetryHolds: 1,
  checked: 4,
  passed: 3,
};

describe('axiomCells', () => {
  it('reads each axiom’s error and verdict', () => {
    expect(axiomCells(gradientFigures)).toEqual([
      { axiom: 'completeness', status: 'fails', error: 0.42 },
      { axiom: 'implementationInvariance', status: 'holds', error: 1e-7 },
      { axiom: 'dummy', status: 'holds', error: 0 },
      { axiom: 'symmetry', status: 'holds', error: 0.003 },
    ]);
    expect(axiomScore(gradientFigures)).toEqual({ passed: 3, checked: 4 });
  });

  it('says why an axiom was not measured', () => {
    const cam = { completenessError: 0.8, completenessHolds: 0, syntheticNotApplicable: 1, checked: 1, passed: 0 };
    expect(axiomCells(cam).map((c) => [c.axiom, c.status, c.reason])).toEqual([
      ['completeness', 'fails', undefined],
      ['implementationInvariance', 'not-measured', 'noConv'],
      ['dummy', 'not-measured', 'synthetic'],
      ['symmetry', 'not-measured', 'synthetic'],
    ]);
    expect(axiomScore({ completenessError: 0, completenessHolds: 1 })).toEqual({ passed: 1, checked: 1 });
  });
});

describe('axiomsRows', () => {
  it('takes the axioms outcome of each evaluation result, as the evaluate CLI does', () => {
    const results = [
      { method: 'gradient', metrics: [{ metric: 'deletion', figures: {} }, { metric: 'axioms', figures: gradientFigures, params: { tolerance: 0.01, seed: 0 } }] },
      { method: 'grad-cam', metrics: [{ metric: 'deletion', figures: {} }] },
      { method: 'integrated-gradients', metrics: [{ metric: 'axioms', figures: gradientFigures, params: { tolerance: 0.01, seed: 0 } }] },
    ];
    const rows = axiomsRows(results);
    expect(rows.map((r) => r.method)).toEqual(['gradient', 'integrated-gradients']);
    expect(sharedTolerance(rows)).toBe(0.01);
    expect(sharedTolerance([...rows, { method: 'x', figures: {}, params: { tolerance: 0.1 } }])).toBeUndefined();
  });

  it('formats errors as the CLI does', () => {
    expect(formatError(0.0032)).toBe('3.2e-3');
    expect(formatError(0)).toBe('0');
    expect(formatError(12)).toBe('1.2e1');
  });
});
