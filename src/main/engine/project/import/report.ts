import type { ImportReport } from '../../../../shared/contract/dataset-import';

/** The report is the contract's: the CLI, the app and the browser door all get this one shape. */
export type { BoxKind, DicomGrouping, ImportProblem, ImportReport, LabelsKey } from '../../../../shared/contract/dataset-import';

/**
 * An image as an importer found it: its path relative to the dataset root, where it was said, and
 * its label and split (null: none; left out: whatever the image already has in the project).
 */
export interface ImageRow {
  path: string;
  where: string;
  label?: string | null;
  split?: string | null;
}

/** A box in pixels of the image: [x0, x1) x [y0, y1). */
export interface Box {
  label: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function emptyReport(dataset: string): ImportReport {
  return { dataset, images: { added: 0, updated: 0, unchanged: 0 }, annotations: { added: 0, unchanged: 0 }, problems: [] };
}

/** A value from the imported file as a problem shows it: control characters escaped, so a problem stays one line. */
export function shown(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => JSON.stringify(c).slice(1, -1));
}
