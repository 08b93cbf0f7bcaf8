import type { AttributionResult } from '../../../../shared/contract/attribution';
import type { CallTimeline } from '../../../../shared/contract/api';

/**
 * Where the time from a click on Explain to the overlay on screen went, in milliseconds. The parts
 * follow one another and add up to `totalMs`:
 * - request: the page prepares and checks the request, until it is sent;
 * - toEngine: until the engine reads it: the channel, and any wait for the engine's thread while it
 *   does other work (compiling a graph, creating a session);
 * - queue: in the engine, from reading the request to the start of its work;
 * - preprocess, graphs, compute: the engine's preparation of the image, obtaining the compiled
 *   graphs (compiled, from the disk cache, or already in memory), and the attribution itself;
 * - engineOther: the rest of the engine's work (the target's forward pass, checks, the result);
 * - fromEngine: the way back: serialisation in the engine, the process channel, the bridge's
 *   framing and socket (or Electron's IPC) and decoding in the page;
 * - decode: checking the result and reducing it to the displayed map;
 * - draw: until the overlay has been uploaded and drawn and the next frame has begun.
 * The split between toEngine and fromEngine compares the page's and the engine's wall clocks (one
 * machine); the two together are the round trip less the engine's own time.
 */
export interface ExplainTiming {
  totalMs: number;
  parts: Record<ExplainPart, number>;
}

export const explainParts = ['request', 'toEngine', 'queue', 'preprocess', 'graphs', 'compute', 'engineOther', 'fromEngine', 'decode', 'draw'] as const;
export type ExplainPart = (typeof explainParts)[number];

/** Timestamps (performance.now()) taken along one explanation's way from the click to the screen. */
export class ExplainStopwatch {
  readonly clickedAt = performance.now();
  /** Filled by the API client: when the request left and when its response came back. */
  readonly call: CallTimeline = {};
  private decodedAt: number | null = null;

  /** The result is checked and reduced to its display map. */
  decoded(): void {
    this.decodedAt = performance.now();
  }

  /**
   * The breakdown, once the page has drawn: `render` resolves after the state change has been
   * rendered (the overlay uploaded and drawn), and the next animation frame marks it on screen.
   */
  async afterDraw(result: AttributionResult, render: () => Promise<void>): Promise<ExplainTiming> {
    await render();
    await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
    return breakdown(this.clickedAt, this.call, this.decodedAt ?? performance.now(), performance.now(), result.timings, performance.timeOrigin);
  }
}

/**
 * The parts between the marks (this page's performance.now()); the engine's own times split the
 * part of the round trip it reports, and its arrival time (wall clock) where the request waited.
 */
export function breakdown(clickedAt: number, call: CallTimeline, decodedAt: number, drawnAt: number, engine: AttributionResult['timings'], timeOrigin: number): ExplainTiming {
  const sentAt = call.sent ?? clickedAt;
  const receivedAt = call.received ?? decodedAt;
  const roundTrip = receivedAt - sentAt;
  // An engine that does not say how long it took (older stored results) counts as the whole round trip.
  const engineMs = Math.min(engine.engineMs ?? roundTrip, roundTrip);
  const queue = engine.queueMs ?? 0;
  const known = queue + engine.preprocessMs + engine.compileMs + engine.computeMs;
  const away = roundTrip - engineMs;
  const toEngine = engine.arrivedAtMs === undefined ? 0 : Math.min(away, Math.max(0, engine.arrivedAtMs - (timeOrigin + sentAt)));
  return {
    totalMs: drawnAt - clickedAt,
    parts: {
      request: sentAt - clickedAt,
      toEngine,
      queue,
      preprocess: engine.preprocessMs,
      graphs: engine.compileMs,
      compute: engine.computeMs,
      engineOther: Math.max(0, engineMs - known),
      fromEngine: away - toEngine,
      decode: decodedAt - receivedAt,
      draw: drawnAt - decodedAt,
    },
  };
}
