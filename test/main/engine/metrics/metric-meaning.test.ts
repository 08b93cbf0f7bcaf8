import { describe, expect, it } from 'vitest';
import { metrics } from '../../../../src/main/engine/metrics/registry';
import { describeMetrics } from '../../../../src/main/engine/metrics/describe';
import { massShares } from '../../../../src/main/engine/project/map-statistics';
import { findingFigures } from '../../../../src/main/engine/project/multilabel-audit';
import { flagRules } from '../../../../src/main/engine/project/audit-report';
import { directionText, isDiagnostic, metricHeading, metricLabel, metricMeaning, metricTooltip } from '../../../../src/shared/metrics/metric-meaning';

/** Every figure id an audit or an evaluation can store or return, from the code that produces them. */
function producedIds(): string[] {
  const map = Float32Array.from({ length: 64 }, (_, i) => i % 7);
  const mask = new Uint8Array(64).fill(1);
  const masses = Object.keys(massShares(map, 8, 8, { truth: mask, regions: mask }));
  const findings = Object.keys(findingFigures(Float32Array.of(0.2, -1), { kind: 'multilabel-logits', labels: ['Effusion', 'Pleural thickening'], thresholds: 0.5 } as never));
  return [...metrics.map((m) => m.id), ...masses, ...findings];
}

describe('metric meanings', () => {
  it('every id a metric, the audit’s mass shares or a multi-label audit can output has a name, a direction and a meaning', () => {
    const ids = producedIds();
    expect(ids).toEqual(expect.arrayContaining(['deletion', 'borderMass', 'cornerMass', 'truthMass', 'regionMass', 'finding:Effusion']));
    for (const id of ids) {
      const m = metricMeaning(id);
      expect(m, id).toBeDefined();
      expect(m!.label, id).not.toBe(id);
      expect(m!.label, id).not.toMatch(/^[a-z]+([A-Z][a-z]*)+$/); // no camelCase id as a name
      expect(m!.meaning.length, id).toBeGreaterThan(20);
      expect(Object.keys(directionText)).toContain(m!.direction);
    }
  });

  it('diagnostics are neither better high nor low, and say why they are shown', () => {
    for (const id of ['borderMass', 'cornerMass', 'truthMass', 'regionMass', 'finding:Effusion']) {
      expect(isDiagnostic(id), id).toBe(true);
      expect(metricMeaning(id)!.diagnostic, id).toMatch(/flag/);
    }
    expect(isDiagnostic('deletion')).toBe(false);
    expect(metricMeaning('finding:Effusion')!.label).toBe('Probability of Effusion');
  });

  it('the diagnostics state the thresholds the audit flags by', () => {
    const border = metricMeaning('borderMass')!.diagnostic!;
    expect(border).toContain(`${100 * flagRules.borderMass.above} %`);
    expect(metricMeaning('cornerMass')!.diagnostic).toContain(`${100 * flagRules.cornerMass.above} %`);
    expect(metricMeaning('truthMass')!.diagnostic).toContain(`${100 * flagRules.truthMass.below} %`);
    expect(metricMeaning('regionMass')!.diagnostic).toContain(`${100 * flagRules.regionMass.above} %`);
  });

  it('the catalogue the renderer gets (metrics.list) carries the same direction', () => {
    for (const d of describeMetrics()) expect(d.direction, d.id).toBe(d.higherIsBetter ? 'higher' : 'lower');
  });

  it('formats headings and tooltips, and never shows an unknown id as code', () => {
    expect(metricHeading('deletion')).toBe('Deletion (lower is better)');
    expect(metricHeading('cornerMass')).toBe('Share in the corners (neither: a diagnostic)');
    expect(metricTooltip('insertion')).toMatch(/^Insertion: .+ Higher is better\.$/);
    expect(metricTooltip('borderMass')).toMatch(/Neither: a diagnostic\. Stored by every audit/);
    expect(metricLabel('someOldFigure')).toBe('some old figure');
    expect(metricMeaning('someOldFigure')).toBeUndefined();
    expect(metricMeaning('finding:')).toBeUndefined();
  });
});
