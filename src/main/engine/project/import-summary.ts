import type { z } from 'zod';
import type { ImportSummary } from '../../../shared/contract/project';
import type { ImportReport } from './dataset-import';

/** An import's report as the workstation shows it: images added and updated, and what went wrong where. */
export function importSummary(report: ImportReport): z.output<typeof ImportSummary> {
  return {
    dataset: report.dataset,
    added: report.images.added,
    updated: report.images.updated,
    problems: report.problems.map((p) => ({ where: p.where, problem: p.reason })),
    ...(report.dicom ? { dicom: report.dicom } : {}),
  };
}
