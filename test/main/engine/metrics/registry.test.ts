import { describe, expect, it } from 'vitest';
import { metricCatalogue } from '../../../../src/shared/metrics/catalogue';
import { metrics } from '../../../../src/main/engine/metrics/registry';
import { describeMetrics } from '../../../../src/main/engine/metrics/describe';

describe('metric catalogue', () => {
  it('every catalogue entry has an implementation and vice versa', () => {
    expect(metrics.map((m) => m.id).sort()).toEqual(metricCatalogue.map((m) => m.id).sort());
  });

  it('each metric says which direction is better and describes its parameters', () => {
    for (const m of describeMetrics()) {
      expect(typeof m.higherIsBetter).toBe('boolean');
      const properties = m.params['properties'] as Record<string, { description?: string }>;
      for (const [name, p] of Object.entries(properties)) expect(p.description, `${m.id}.${name}`).toBeTruthy();
    }
  });
});
