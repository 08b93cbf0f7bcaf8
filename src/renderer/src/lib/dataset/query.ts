import type { ParamsIn } from '../../../../shared/contract/requests';

/** What the browser's toolbar chooses: the rest of `datasets.images` is the project and paging. */
export interface DatasetQuery {
  project: string;
  dataset: string;
  runId: number | undefined;
  search: string;
  label: string;
  sort: string;
  descending: boolean;
  /** A DICOM study and series to show only ("" or absent: all). */
  studyUid?: string;
  seriesUid?: string;
}

/** Sort keys every dataset has; DICOM adds its own order, a run the prediction, confidence and its metric columns. */
export const baseSortKeys = ['path', 'label'] as const;
export const runSortKeys = ['predicted', 'confidence'] as const;

export function sortKeys(hasRun: boolean, metricColumns: readonly string[], hasDicom = false): string[] {
  const base = hasDicom ? [...baseSortKeys, 'series'] : [...baseSortKeys];
  return hasRun ? [...base, ...runSortKeys, ...metricColumns] : base;
}

/** A string that changes exactly when the rows (or their order) can change. */
export function queryKey(q: DatasetQuery): string {
  return JSON.stringify([q.project, q.dataset, q.runId ?? null, q.search.trim(), q.label, q.sort, q.descending, q.studyUid ?? '', q.seriesUid ?? '']);
}

/** The request for rows `offset`..`offset + limit` of a query; empty search and label are left out. */
export function imagesParams(q: DatasetQuery, offset: number, limit: number): ParamsIn<'datasets.images'> {
  const params: ParamsIn<'datasets.images'> = { project: q.project, dataset: q.dataset, sort: q.sort, descending: q.descending, offset, limit };
  if (q.runId !== undefined) params.runId = q.runId;
  const search = q.search.trim();
  if (search) params.search = search;
  if (q.label) params.label = q.label;
  if (q.studyUid) params.studyUid = q.studyUid;
  if (q.seriesUid) params.seriesUid = q.seriesUid;
  return params;
}

/** The file name of a dataset path (either separator). */
export function fileName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i >= 0 ? path.slice(i + 1) : path;
}

/** A metric value in a table cell: three significant decimals, or a dash. */
export function metricValue(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  return abs !== 0 && (abs < 0.001 || abs >= 10_000) ? value.toExponential(2) : value.toFixed(3);
}
