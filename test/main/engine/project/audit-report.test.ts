import { describe, expect, it } from 'vitest';
import { auditCsv, auditReport, type StoredResult } from '../../../../src/main/engine/project/audit-report';
import { massShares } from '../../../../src/main/engine/project/map-statistics';

describe('audit report', () => {
  const rows: StoredResult[] = [
    { path: 'a.png', label: 'cat', predicted: 'Cat', confidence: 0.9, metrics: { borderMass: 0.1, cornerMass: 0.0, truthMass: 0.8 } },
    { path: 'b.png', label: 'cat', predicted: 'dog', confidence: 0.95, metrics: { borderMass: 0.7, cornerMass: 0.4, truthMass: 0.2, regionMass: 0.5 } },
    { path: 'c.png', label: 'dog', predicted: 'dog', confidence: 0.6, metrics: { borderMass: 0.2, cornerMass: 0.05 } },
  ];

  it('accuracy per class (labels compared without case), metric means, and flags with their reasons, worst first', () => {
    const report = auditReport(rows);
    expect(report.perClass).toEqual([
      { label: 'cat', images: 2, accuracy: 0.5, meanConfidence: 0.925 },
      { label: 'dog', images: 1, accuracy: 1, meanConfidence: 0.6 },
    ]);
    expect(report.metrics.find((m) => m.metric === 'truthMass')).toMatchObject({ n: 2, mean: 0.5 });
    expect(report.flags).toEqual([
      {
        path: 'b.png',
        label: 'cat',
        predicted: 'dog',
        confidence: 0.95,
        reasons: [
          'only 20% of the attribution lies on the ground truth',
          '50% of the attribution lies on a marked region of interest',
          '70% of the attribution lies on the image border',
          '40% of the attribution lies in the corners',
          'misclassified as "dog" with 95% confidence',
        ],
      },
    ]);
  });

  it('exports every image as a CSV row, quoting where needed', () => {
    const csv = auditCsv([...rows, { path: 'd,"x".png', label: null, predicted: 'cat', confidence: 0.5, metrics: { borderMass: 0, cornerMass: 0 } }]).trim().split('\n');
    expect(csv[0]).toBe('path,label,predicted,confidence,correct,borderMass,cornerMass,regionMass,truthMass,flags');
    expect(csv[1]).toBe('a.png,cat,Cat,0.9,1,0.1,0,,0.8,');
    expect(csv[4]).toBe('"d,""x"".png",,cat,0.5,,0,0,,,');
  });
});

describe('attribution mass shares', () => {
  it('border band (10% of the side), corners (15%), ground truth and regions, by hand on a 20 x 20 map', () => {
    const map = new Float32Array(400);
    map[0] = 2; // a corner pixel, on the border
    map[10 * 20 + 10] = -2; // the centre: absolute values count
    const truth = new Uint8Array(400);
    truth[10 * 20 + 10] = 1;
    expect(massShares(map, 20, 20, { truth })).toEqual({ borderMass: 0.5, cornerMass: 0.5, truthMass: 0.5 });
    expect(massShares(new Float32Array(400), 20, 20, {})).toEqual({ borderMass: 0, cornerMass: 0 });
  });
});
