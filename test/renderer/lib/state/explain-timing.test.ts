import { describe, expect, it } from 'vitest';
import { breakdown, explainParts } from '../../../../src/renderer/src/lib/state/explain-timing';

// The engine read the request 7 ms after it was sent (page time 1003 + time origin 5000 = 6003).
const engine = { computeMs: 40, computeRunsMs: [40], compileMs: 5, preprocessMs: 2, queueMs: 1, engineMs: 60, arrivedAtMs: 6010 };

describe("an explanation's time from the click to the overlay", () => {
  it('splits the marks and the engine times into parts that follow one another and add up to the total', () => {
    // click 1000, sent 1003, received 1080 (round trip 77, of which the engine 60), decoded 1084, drawn 1100.
    const timing = breakdown(1000, { sent: 1003, received: 1080 }, 1084, 1100, engine, 5000);
    expect(timing.totalMs).toBe(100);
    expect(timing.parts).toEqual({ request: 3, toEngine: 7, queue: 1, preprocess: 2, graphs: 5, compute: 40, engineOther: 12, fromEngine: 10, decode: 4, draw: 16 });
    expect(Object.keys(timing.parts)).toEqual([...explainParts]);
    expect(Object.values(timing.parts).reduce((a, b) => a + b, 0)).toBeCloseTo(timing.totalMs, 9);
  });

  it("counts a result without the engine's own time (stored by an older Lumen) as all engine, no transfer", () => {
    const { queueMs: _q, engineMs: _e, arrivedAtMs: _a, ...older } = engine;
    const timing = breakdown(0, { sent: 1, received: 81 }, 82, 90, older, 5000);
    expect(timing.parts.toEngine + timing.parts.fromEngine).toBe(0);
    expect(timing.parts.queue).toBe(0);
    expect(timing.parts.engineOther).toBe(80 - 47);
    expect(Object.values(timing.parts).reduce((a, b) => a + b, 0)).toBeCloseTo(90, 9);
  });
});

describe('the split of the round trip between the way to the engine and back', () => {
  it('stays inside the time the engine did not account for when the clocks disagree', () => {
    const base = { computeMs: 10, computeRunsMs: [10], compileMs: 0, preprocessMs: 0, queueMs: 0, engineMs: 10 };
    // An engine clock 1 s ahead: everything not the engine's counts as on the way there, nothing more.
    const ahead = breakdown(0, { sent: 0, received: 30 }, 30, 30, { ...base, arrivedAtMs: 6000 }, 5000);
    expect([ahead.parts.toEngine, ahead.parts.fromEngine]).toEqual([20, 0]);
    // One behind: nothing on the way there.
    const behind = breakdown(0, { sent: 0, received: 30 }, 30, 30, { ...base, arrivedAtMs: 4000 }, 5000);
    expect([behind.parts.toEngine, behind.parts.fromEngine]).toEqual([0, 20]);
  });
});
