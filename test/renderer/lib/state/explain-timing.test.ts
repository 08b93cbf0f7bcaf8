import { describe, expect, it } from 'vitest';
import { breakdown, explainParts } from '../../../../src/renderer/src/lib/state/explain-timing';

const engine = { computeMs: 40, computeRunsMs: [40], compileMs: 5, preprocessMs: 2, queueMs: 1, engineMs: 60 };

describe("an explanation's time from the click to the overlay", () => {
  it('splits the marks and the engine times into parts that follow one another and add up to the total', () => {
    // click 1000, sent 1003, received 1080 (round trip 77, of which the engine 60), decoded 1084, drawn 1100.
    const timing = breakdown(1000, { sent: 1003, received: 1080 }, 1084, 1100, engine);
    expect(timing.totalMs).toBe(100);
    expect(timing.parts).toEqual({ request: 3, queue: 1, preprocess: 2, graphs: 5, compute: 40, engineOther: 12, transfer: 17, decode: 4, draw: 16 });
    expect(Object.keys(timing.parts)).toEqual([...explainParts]);
    expect(Object.values(timing.parts).reduce((a, b) => a + b, 0)).toBeCloseTo(timing.totalMs, 9);
  });

  it("counts a result without the engine's own time (stored by an older Lumen) as all engine, no transfer", () => {
    const { queueMs: _q, engineMs: _e, ...older } = engine;
    const timing = breakdown(0, { sent: 1, received: 81 }, 82, 90, older);
    expect(timing.parts.transfer).toBe(0);
    expect(timing.parts.queue).toBe(0);
    expect(timing.parts.engineOther).toBe(80 - 47);
    expect(Object.values(timing.parts).reduce((a, b) => a + b, 0)).toBeCloseTo(90, 9);
  });
});
