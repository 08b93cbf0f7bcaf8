import { describe, expect, it } from 'vitest';
import { completenessHint, completenessNote, completenessTooLarge, completenessWarningShare, percentText, relativeCompleteness } from '../../../src/shared/methods/completeness-warning';

describe("Integrated Gradients' completeness warning", () => {
  it('measures the error against |f(x) − f(baseline)| and warns above 5 %', () => {
    expect(completenessWarningShare).toBe(0.05);
    expect(relativeCompleteness({ completenessError: 0.1, outputDifference: -2 })).toBeCloseTo(0.05, 12);
    expect(completenessTooLarge({ completenessError: 0.1, outputDifference: 2 })).toBe(false);
    expect(completenessTooLarge({ completenessError: 0.1001, outputDifference: 2 })).toBe(true);
    // Nothing to judge: no figures, or a model that did not change along the path.
    expect(relativeCompleteness({})).toBeNull();
    expect(relativeCompleteness({ completenessError: 0.1, outputDifference: 0 })).toBeNull();
    expect(completenessTooLarge({ completenessError: 0.1, outputDifference: 1e-12 })).toBe(false);
  });

  it('says by how much and what to change', () => {
    expect(completenessNote({ completenessError: 0.01, outputDifference: 1 }, { steps: 50, stepRule: 'gauss-legendre' })).toBeNull();
    expect(completenessNote({ completenessError: 0.25, outputDifference: 2 }, { steps: 4, stepRule: 'riemann-left' })).toBe(
      'The attributions miss f(x) − f(baseline) by 12.5 % of it (completeness error 0.250, above the 5 % tolerance): the path integral is estimated too coarsely; use more steps (4 now; try 16) or the gauss-legendre step rule.',
    );
    expect(completenessHint({ steps: 2048, stepRule: 'gauss-legendre' })).toBe('use more steps (2048 now; try 4096) or another step rule (riemann-trapezoid)');
    expect([percentText(0.05), percentText(0.1234), percentText(0.004567), percentText(3.2)]).toEqual(['5 %', '12.3 %', '0.46 %', '320 %']);
  });
});
