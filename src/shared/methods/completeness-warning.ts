/**
 * When Integrated Gradients' attributions do not add up to f(x) − f(baseline), the path integral
 * was estimated too coarsely (too few steps for how curved the model is along the path), and the
 * map is not the integral it claims to be. Above this share of |f(x) − f(baseline)| Lumen says so,
 * in the result's notes (the CLI, the report) and next to the result in the inspector. 5 % is the
 * tolerance the IG paper (Sundararajan et al. 2017) uses to decide that enough steps were taken.
 */
export const completenessWarningShare = 0.05;

/** Below this |f(x) − f(baseline)|, a relative error means nothing (the model barely changed along the path). */
const negligibleDifference = 1e-9;

/** IG's figures that the check reads. */
export interface CompletenessFigures {
  completenessError?: number | undefined;
  outputDifference?: number | undefined;
}

/** The error as a share of |f(x) − f(baseline)|, or null where there is nothing to judge. */
export function relativeCompleteness(figures: CompletenessFigures): number | null {
  const error = figures.completenessError;
  const difference = figures.outputDifference;
  if (error === undefined || difference === undefined || !Number.isFinite(error) || !Number.isFinite(difference)) return null;
  if (Math.abs(difference) < negligibleDifference) return null;
  return Math.abs(error) / Math.abs(difference);
}

/** Whether the error is large enough to warn about. */
export function completenessTooLarge(figures: CompletenessFigures): boolean {
  const share = relativeCompleteness(figures);
  return share !== null && share > completenessWarningShare;
}

/** A share as a percentage with sensible digits (0.1234 -> "12.3 %"). */
export function percentText(share: number): string {
  const pct = 100 * share;
  if (Number.isInteger(pct)) return `${pct} %`;
  return `${pct >= 100 ? pct.toFixed(0) : pct >= 1 ? pct.toFixed(1) : pct.toFixed(2)} %`;
}

/** What to try: more steps, and a step rule other than the one used. */
export function completenessHint(run: { steps?: number | undefined; stepRule?: string | undefined }): string {
  const more = run.steps === undefined ? 'use more steps' : `use more steps (${run.steps} now; try ${Math.min(4096, run.steps * 4)})`;
  const rule = run.stepRule === 'gauss-legendre' ? 'another step rule (riemann-trapezoid)' : 'the gauss-legendre step rule';
  return `${more} or ${rule}`;
}

/** The note for a result whose completeness error is too large, or null when it is within the tolerance. */
export function completenessNote(figures: CompletenessFigures, run: { steps?: number | undefined; stepRule?: string | undefined }): string | null {
  const share = relativeCompleteness(figures);
  if (share === null || share <= completenessWarningShare) return null;
  return `The attributions miss f(x) − f(baseline) by ${percentText(share)} of it (completeness error ${figures.completenessError!.toPrecision(3)}, above the ${percentText(completenessWarningShare)} tolerance): the path integral is estimated too coarsely; ${completenessHint(run)}.`;
}
