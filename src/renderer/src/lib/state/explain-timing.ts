import type { AttributionResult } from '../../../../shared/contract/attribution';
import type { CallTimeline } from '../../../../shared/contract/api';

/**
 * Where the time from a click on Explain to the overlay on screen went, in milliseconds. The parts
 * follow one another and add up to `totalMs`:
 * - request: the page prepares and checks the request, until it is sent;
 * - queue: in the engine, from the request's arrival to the start of its work;
 * - preprocess, graphs, compute: the engine's preparation of the image, obtaining the compiled
 *   graphs (compiled, from the disk cache, or already in memory), and the attribution itself;
 * - engineOther: the rest of the engine's work (the target's forward pass, checks, the result);
 * - transfer: the round trip less the engine's time: serialisation in the engine, the process
 *   channel, the bridge's framing and socket (or Electron's IPC) and decoding in the page;
 * - decode: checking the result and reducing it to the displayed map;
 * - draw: until the overlay has been uploaded and drawn and the next frame has begun.
 */
export interface ExplainTiming {
  totalMs: number;
  parts: Record<ExplainPart, number>;
}

export const explainParts = ['request', 'queue', 'preprocess', 'graphs', 'compute', 'engineOther', 'transfer', 'decode', 'draw'] as const;
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
    return breakdown(this.clickedAt, this.call, this.decodedAt ?? performance.now(), performance.now(), result.timings);
  }
}

/** The parts between the marks; the engine's own times split the part of the round trip it reports. */
export function breakdown(clickedAt: number, call: CallTimeline, decodedAt: number, drawnAt: number, engine: AttributionResult['timings']): ExplainTiming {
  const sentAt = call.sent ?? clickedAt;
  const receivedAt = call.received ?? decodedAt;
  const roundTrip = receivedAt - sentAt;
  // An engine that does not say how long it took (older stored results) counts as the whole round trip.
  const engineMs = Math.min(engine.engineMs ?? roundTrip, roundTrip);
  const queue = engine.queueMs ?? 0;
  const known = queue + engine.preprocessMs + engine.compileMs + engine.computeMs;
  return {
    totalMs: drawnAt - clickedAt,
    parts: {
      request: sentAt - clickedAt,
      queue,
      preprocess: engine.preprocessMs,
      graphs: engine.compileMs,
      compute: engine.computeMs,
      engineOther: Math.max(0, engineMs - known),
      transfer: roundTrip - engineMs,
      decode: decodedAt - receivedAt,
      draw: drawnAt - decodedAt,
    },
  };
}
