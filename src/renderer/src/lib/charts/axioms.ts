/**
 * The axioms metric's figures (src/main/engine/metrics/axioms.ts) read as a method × axiom table,
 * as `lumen evaluate --metric axioms` prints it: for each axiom `${axiom}Error` (relative error)
 * and `${axiom}Holds` (1 or 0); besides them attributionSum, outputDifference, insertedBatchNorms,
 * implementationInvarianceSpearman, syntheticNotApplicable, checked and passed.
 */
import type { MetricOutcome } from '../../../../shared/contract/evaluation';

export const axiomIds = ['completeness', 'implementationInvariance', 'dummy', 'symmetry'] as const;
export type AxiomId = (typeof axiomIds)[number];

/** One method's axioms outcome: the MetricOutcome's figures (and params, for the tolerance). */
export interface AxiomsRow {
  method: string;
  figures: MetricOutcome['figures'];
  params?: MetricOutcome['params'];
}

export type AxiomStatus = 'holds' | 'fails' | 'not-measured';

/** Why an axiom was not measured. */
export type NotMeasuredReason = 'noConv' | 'synthetic' | 'missing';

export interface AxiomCell {
  axiom: AxiomId;
  status: AxiomStatus;
  /** The relative error measured. */
  error?: number;
  reason?: NotMeasuredReason;
}

export function axiomCells(figures: Readonly<Record<string, number>>): AxiomCell[] {
  return axiomIds.map((axiom) => {
    const error = figures[`${axiom}Error`];
    if (error !== undefined) return { axiom, status: figures[`${axiom}Holds`] === 1 ? 'holds' : 'fails', error };
    const reason: NotMeasuredReason =
      axiom === 'implementationInvariance' ? 'noConv' : (axiom === 'dummy' || axiom === 'symmetry') && figures['syntheticNotApplicable'] === 1 ? 'synthetic' : 'missing';
    return { axiom, status: 'not-measured', reason };
  });
}

/** passed of checked, from the figures (or counted from the cells when absent). */
export function axiomScore(figures: Readonly<Record<string, number>>): { passed: number; checked: number } {
  const cells = axiomCells(figures).filter((c) => c.status !== 'not-measured');
  return {
    passed: figures['passed'] ?? cells.filter((c) => c.status === 'holds').length,
    checked: figures['checked'] ?? cells.length,
  };
}

/**
 * The rows of evaluation results, as the evaluate CLI's axioms table takes them: every
 * EvaluationResult (or anything with a method and metrics) with an `axioms` outcome gives a row.
 */
export function axiomsRows(results: ReadonlyArray<{ method: string; metrics: ReadonlyArray<{ metric: string; figures: Record<string, number>; params?: Record<string, unknown> }> }>): AxiomsRow[] {
  return results.flatMap((r) =>
    r.metrics
      .filter((m) => m.metric === 'axioms')
      .map((m) => {
        const row: AxiomsRow = { method: r.method, figures: m.figures };
        if (m.params) row.params = m.params;
        return row;
      }),
  );
}

/** The tolerance the rows were measured with, when they all say and agree. */
export function sharedTolerance(rows: readonly AxiomsRow[]): number | undefined {
  const values = rows.map((r) => r.params?.['tolerance']);
  const first = values[0];
  return typeof first === 'number' && values.every((v) => v === first) ? first : undefined;
}

/** A relative error as the CLI prints it: 3.2e-3. */
export function formatError(error: number): string {
  if (!Number.isFinite(error)) return String(error);
  if (error === 0) return '0';
  return error.toExponential(1).replace('e+', 'e');
}
