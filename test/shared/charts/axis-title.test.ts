import { describe, expect, it } from 'vitest';
import { axisTitle } from '../../../src/shared/charts/axis-title';

describe('axis title of several series', () => {
  it('keeps a label the series share', () => {
    expect(axisTitle(['probability', 'probability'])).toBe('probability');
    expect(axisTitle(['probability', undefined])).toBe('probability');
    expect(axisTitle([])).toBe('');
  });

  it('says both endings where the labels differ', () => {
    expect(axisTitle(['fraction of pixels removed', 'fraction of pixels inserted'])).toBe('fraction of pixels removed or inserted');
    expect(axisTitle(['time', 'steps'])).toBe('time or steps');
    // A label that is a prefix of the other keeps its last word.
    expect(axisTitle(['pixels', 'pixels removed'])).toBe('pixels or pixels removed');
  });
});
