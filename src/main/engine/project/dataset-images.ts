import type { z } from 'zod';
import type { DatasetImageRow, DatasetImagesPage, DatasetImagesParams, DicomImageFacts } from '../../../shared/contract/project';
import { LumenError } from '../../../shared/errors';
import { predictedLabel, runLabels } from './audit-queries';
import { flagReasons, sameLabel } from './audit-report';
import { findDataset } from './dataset-files';
import { pageImageIds } from './dataset-page-order';
import { keptUntilChange } from './data-version-cache';
import type { ProjectStore } from './project-store';

type Query = z.output<typeof DatasetImagesParams>;

const fixedSorts = ['path', 'label', 'series', 'predicted', 'confidence'] as const;

/** A result's predicted label: the model's label of its class, as `predictedLabel` gives it. */
const predictedSql = "coalesce(l.name, 'class ' || r.target)";

/** A DICOM image's place in its study: the study, then series and instance numbers as sortable text. */
const seriesOrderSql =
  "CASE WHEN d.image_id IS NULL THEN NULL ELSE coalesce(d.study_instance_uid, '') || printf('|%012d|%012d', coalesce(d.series_number, 0) + 100000000, coalesce(d.instance_number, 0) + 100000000) END";

/** The DICOM columns of a page's rows (null for images that are not DICOM). */
const dicomColumnsSql = `d.image_id AS dicom_id, d.sop_instance_uid, d.study_instance_uid, d.study_description, d.series_instance_uid,
      d.series_number, d.series_description, d.instance_number, d.modality, d.frames`;

/** The metric names a run stored, sorted: the metric columns of its table (`run_metric_names`). */
export function runMetricColumns(store: ProjectStore, runId: number): string[] {
  const rows = store.db.prepare('SELECT name FROM run_metric_names WHERE run_id = ? ORDER BY name').all(runId) as Array<{ name: string }>;
  return rows.map((r) => String(r.name));
}

/** SQL for the sort key (and its parameters); text sorts ignore case, figures sort as numbers. */
function sortKey(query: Query, metricColumns: string[]): { sql: string; params: unknown[] } {
  switch (query.sort) {
    case 'path':
      return { sql: 'i.path', params: [] };
    case 'label':
      return { sql: 'i.label COLLATE NOCASE', params: [] };
    // DICOM order: a study's images together, by series number, then instance number (images that
    // are not DICOM, without a row, come last).
    case 'series':
      return { sql: seriesOrderSql, params: [] };
    // Without a run, no row has a prediction: the order is by path.
    case 'predicted':
      return { sql: query.runId === undefined ? 'NULL' : predictedSql + ' COLLATE NOCASE', params: [] };
    case 'confidence':
      return { sql: query.runId === undefined ? 'NULL' : 'r.score', params: [] };
  }
  if (!metricColumns.includes(query.sort)) {
    const choices = [...fixedSorts, ...metricColumns].join(', ');
    throw new LumenError(
      'invalid-argument',
      query.runId === undefined ? `Cannot sort by "${query.sort}" without a run: metrics come from a run's results.` : `Run ${query.runId} stored no metric "${query.sort}".`,
      `Sort by one of: ${choices}.`,
      { sort: query.sort },
    );
  }
  // A JSON path with the key quoted, so names such as "pointing-game" or "a.b" are one key.
  return { sql: 'json_extract(r.metrics, ?)', params: [`$."${query.sort.replace(/"/g, '\\"')}"`] };
}

/**
 * One page of a dataset's images for the workstation's table: filtered by a search (a substring of
 * the path, label or DICOM study/series description, ignoring case), a label and a DICOM study or series, sorted by any column (rows without a value last,
 * whichever the direction; ties by path), with a run's results as prediction, confidence, metric
 * and flag columns. Filtering, sorting and paging run in SQL and only the page's rows leave the
 * database (3000 images: a page in a few milliseconds; tens of thousands: a few hundred).
 */
export function datasetImages(store: ProjectStore, query: Query): z.output<typeof DatasetImagesPage> {
  const dataset = findDataset(store, query.dataset);
  const runId = query.runId;
  const labels = runId === undefined ? [] : runLabels(store, runId);
  const metricColumns = runId === undefined ? [] : runMetricColumns(store, runId);
  const key = sortKey(query, metricColumns);

  const where: string[] = ['i.dataset_id = ?'];
  const whereParams: unknown[] = [dataset.id];
  const search = query.search?.trim().toLowerCase();
  if (search) {
    where.push(
      "(instr(lower(i.path), ?) > 0 OR instr(lower(coalesce(i.label, '')), ?) > 0 OR instr(lower(coalesce(d.study_description, '') || ' ' || coalesce(d.series_description, '')), ?) > 0)",
    );
    whereParams.push(search, search, search);
  }
  if (query.label !== undefined) {
    where.push('i.label = ?');
    whereParams.push(query.label);
  }
  if (query.studyUid !== undefined) {
    where.push("d.image_id IS NOT NULL AND coalesce(d.study_instance_uid, '') = ?");
    whereParams.push(query.studyUid);
  }
  if (query.seriesUid !== undefined) {
    where.push("d.image_id IS NOT NULL AND coalesce(d.series_instance_uid, '') = ?");
    whereParams.push(query.seriesUid);
  }
  const filter = where.join(' AND ');

  // Without a filter on DICOM facts the count is the dataset's index alone (the join costs a lookup per image).
  const filtersDicom = search !== undefined && search !== '' ? true : query.studyUid !== undefined || query.seriesUid !== undefined;
  const countSql = `SELECT count(*) AS n FROM images i ${filtersDicom ? 'LEFT JOIN dicom_instances d ON d.image_id = i.id' : ''} WHERE ${filter}`;
  const total = keptUntilChange(store, `count\n${countSql}\n${JSON.stringify(whereParams)}`, () => Number((store.db.prepare(countSql).get(...whereParams) as { n: number }).n));

  // The run's labels as a small indexed table, so the predicted label is a join, not a parse per row.
  const withRun = runId !== undefined;
  const direction = query.descending ? 'DESC' : 'ASC';
  // Where an index gives the page's images in order, only those rows are read (any page of a large
  // dataset in milliseconds); otherwise SQL sorts the filtered dataset.
  const pageIds = pageImageIds(store, dataset.id, query, labels, total);
  const sql = `
    ${withRun ? 'WITH labels(idx, name) AS MATERIALIZED (SELECT CAST(key AS INTEGER), value FROM json_each(?))' : ''}
    SELECT i.id, i.path, i.label, i.width, i.height, ${pageIds ? 'NULL' : key.sql} AS sort_key,
      ${withRun ? 'r.target, r.score, r.metrics' : 'NULL AS target, NULL AS score, NULL AS metrics'},
      ${dicomColumnsSql}
    FROM images i
    LEFT JOIN dicom_instances d ON d.image_id = i.id
    ${withRun ? 'LEFT JOIN results r ON r.image_id = i.id AND r.run_id = ? LEFT JOIN labels l ON l.idx = r.target' : ''}
    WHERE ${pageIds ? 'i.id IN (SELECT value FROM json_each(?))' : filter}
    ${pageIds ? '' : `ORDER BY sort_key IS NULL, sort_key ${direction}${query.sort === 'path' ? '' : ', i.path'} LIMIT ? OFFSET ?`}`;
  const params = [
    ...(withRun ? [JSON.stringify(labels)] : []),
    ...(pageIds ? [] : key.params),
    ...(withRun ? [runId] : []),
    ...(pageIds ? [JSON.stringify(pageIds)] : [...whereParams, query.limit, query.offset]),
  ];
  let rows = store.db.prepare(sql).all(...params) as StoredRow[];
  if (pageIds) {
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    rows = pageIds.map((id) => byId.get(id)!);
  }
  return { total, metricColumns, rows: rows.map((r) => toRow(r, labels)) };
}

/** A page's row as SQL gives it. */
interface StoredRow {
  id: number;
  path: string;
  label: string | null;
  width: number | null;
  height: number | null;
  target: number | null;
  score: number | null;
  metrics: string | null;
  dicom_id: number | null;
  sop_instance_uid: string | null;
  study_instance_uid: string | null;
  study_description: string | null;
  series_instance_uid: string | null;
  series_number: number | null;
  series_description: string | null;
  instance_number: number | null;
  modality: string | null;
  frames: number | null;
}

const intOrNull = (value: number | null): number | null => (value === null ? null : Number(value));

/** A DICOM image's study, series and instance, as the table shows them; undefined for other images. */
function dicomOf(r: StoredRow): z.output<typeof DicomImageFacts> | undefined {
  if (r.dicom_id === null) return undefined;
  return {
    sopInstanceUid: r.sop_instance_uid,
    studyUid: r.study_instance_uid,
    studyDescription: r.study_description,
    seriesUid: r.series_instance_uid,
    seriesNumber: intOrNull(r.series_number),
    seriesDescription: r.series_description,
    instanceNumber: intOrNull(r.instance_number),
    modality: r.modality,
    frames: Math.max(1, Number(r.frames ?? 1)),
  };
}

function toRow(r: StoredRow, labels: string[]): z.output<typeof DatasetImageRow> {
  const dicom = dicomOf(r);
  const base = { path: r.path, label: r.label, width: r.width === null ? null : Number(r.width), height: r.height === null ? null : Number(r.height), ...(dicom ? { dicom } : {}) };
  if (r.target === null) return { ...base, predicted: null, confidence: null, correct: null, metrics: {}, flags: [] };
  const predicted = predictedLabel(labels, Number(r.target));
  const confidence = r.score === null ? null : Number(r.score);
  const metrics = numericMetrics(r.metrics);
  return {
    ...base,
    predicted,
    confidence,
    correct: r.label === null ? null : sameLabel(r.label, predicted),
    metrics,
    flags: flagReasons({ path: r.path, label: r.label, predicted, confidence: confidence ?? 0, metrics }),
  };
}

/** A result's metrics as stored: finite numbers only (anything else is not a figure to show). */
function numericMetrics(text: string | null): Record<string, number> {
  if (!text) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1])));
}
