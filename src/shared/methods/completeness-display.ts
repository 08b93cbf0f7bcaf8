import { completenessHint, completenessTooLarge, percentText, relativeCompleteness, type CompletenessFigures } from './completeness-warning';

/** How a completeness error is shown: on its scale, f(x) − f(baseline), with what to do when it is large. */
export interface CompletenessDisplay {
  /** The error as a share of |f(x) − f(baseline)|, or null when that difference is ~0 (no scale). */
  share: number | null;
  /** "3.2 % of f(x) − f(baseline) (error 0.0138 of 0.431)" */
  text: string;
  /** For narrow places (the full text goes in a tooltip): "3.2 % of f(x) − f(baseline)". */
  short: string;
  /** Above the 5 % tolerance. */
  tooLarge: boolean;
  /** What to change when too large ("raise the steps: use more steps (64 now; try 256) or …"), else null. */
  hint: string | null;
}

/** The run settings the hint names: IG's steps and step rule, read from the result's parameters. */
export function completenessRun(params: Record<string, unknown>): { steps?: number; stepRule?: string } {
  return {
    ...(typeof params['steps'] === 'number' ? { steps: params['steps'] } : {}),
    ...(typeof params['stepRule'] === 'string' ? { stepRule: params['stepRule'] } : {}),
  };
}

/**
 * The one formatting of IG's completeness error for the inspector, compare and the report (the CLI
 * note says the same in a sentence): relative to f(x) − f(baseline), the raw figures after it, and a
 * hint when it is above the tolerance. Null for results without the figure (other methods).
 */
export function formatCompleteness(figures: CompletenessFigures, params: Record<string, unknown> = {}): CompletenessDisplay | null {
  const error = figures.completenessError;
  if (error === undefined || !Number.isFinite(error)) return null;
  const share = relativeCompleteness(figures);
  const difference = figures.outputDifference;
  if (share === null) {
    const scale = difference === undefined ? 'f(x) − f(baseline) unknown' : 'f(x) − f(baseline) ≈ 0, so no scale';
    return { share: null, text: `error ${error.toPrecision(3)} (${scale})`, short: `error ${error.toPrecision(3)} (no scale)`, tooLarge: false, hint: null };
  }
  const tooLarge = completenessTooLarge(figures);
  return {
    share,
    text: `${percentText(share)} of f(x) − f(baseline) (error ${error.toPrecision(3)} of ${difference!.toPrecision(3)})`,
    short: `${percentText(share)} of f(x) − f(baseline)`,
    tooLarge,
    hint: tooLarge ? `raise the steps: ${completenessHint(completenessRun(params))}` : null,
  };
}
