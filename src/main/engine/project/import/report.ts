/** A row or file that could not be imported as it was, with where it is and why; the import goes on. */
export interface ImportProblem {
  where: string;
  reason: string;
  /** True when the row was imported all the same, changed as the reason says (a box clipped to its image). */
  kept?: boolean;
}

export interface ImportReport {
  dataset: string;
  images: { added: number; updated: number; unchanged: number };
  annotations: { added: number; unchanged: number };
  problems: ImportProblem[];
  /** For DICOM imports: how the dataset's DICOM images group (after the import). */
  dicom?: DicomGrouping;
  /** For a label CSV: what its first column was matched against. */
  labelsKey?: LabelsKey;
}

/** Counts of a dataset's DICOM images by patient, study and series; `multiFrame` files are one image each (their first frame). */
export interface DicomGrouping {
  patients: number;
  studies: number;
  series: number;
  images: number;
  multiFrame: number;
}

/** A label CSV's key: the image's SOP Instance UID, or its file path relative to the dataset root. */
export type LabelsKey = 'sop' | 'file';

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

/** Boxes are ground truth (`box`) or regions of interest such as text markers (`region`). */
export type BoxKind = 'box' | 'region';

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
