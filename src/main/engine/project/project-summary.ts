import { basename } from 'node:path';
import type { DatasetSummary, ProjectSummary, RunSummary } from '../../../shared/contract/project';
import type { ProjectStore } from './project-store';

/**
 * A project at a glance: its datasets (images, labels, how many have ground truth) and its runs
 * (the dataset, method and model of each, how many results it stored, and its latest job).
 */
export function projectSummary(store: ProjectStore, options: { demo?: boolean } = {}): ProjectSummary {
  return {
    path: store.folder,
    name: basename(store.folder),
    schemaVersion: store.schemaVersion,
    demo: options.demo ?? false,
    ...(store.readOnly ? { readOnly: true } : {}),
    datasets: datasetSummaries(store),
    runs: runSummaries(store),
  };
}

function datasetSummaries(store: ProjectStore): DatasetSummary[] {
  const db = store.db;
  const datasets = db
    .prepare(
      `SELECT d.id, d.name,
         (SELECT count(*) FROM images i WHERE i.dataset_id = d.id) AS images,
         (SELECT count(DISTINCT a.image_id) FROM annotations a JOIN images i ON i.id = a.image_id
           WHERE i.dataset_id = d.id AND a.kind IN ('box', 'mask')) AS annotated
       FROM datasets d ORDER BY d.name`,
    )
    .all() as Array<{ id: number; name: string; images: number; annotated: number }>;
  const labels = db.prepare('SELECT DISTINCT label FROM images WHERE dataset_id = ? AND label IS NOT NULL ORDER BY label');
  const dicom = db.prepare(
    `SELECT count(*) AS n, count(DISTINCT coalesce(x.study_instance_uid, '')) AS studies,
       count(DISTINCT coalesce(x.study_instance_uid, '') || '|' || coalesce(x.series_instance_uid, '')) AS series
     FROM dicom_instances x JOIN images i ON i.id = x.image_id WHERE i.dataset_id = ?`,
  );
  return datasets.map((d) => {
    const grouped = dicom.get(d.id) as { n: number; studies: number; series: number };
    return {
      name: d.name,
      images: Number(d.images),
      labels: (labels.all(d.id) as Array<{ label: string }>).map((l) => l.label),
      annotated: Number(d.annotated),
      // Only a dataset with DICOM images says so: the browser groups by study and series then.
      ...(Number(grouped.n) > 0 ? { dicom: { studies: Number(grouped.studies), series: Number(grouped.series) } } : {}),
    };
  });
}

function runSummaries(store: ProjectStore): RunSummary[] {
  // A run's dataset is that of its results' images; a run without results yet (a job that has
  // not stored any) names it in its parameters, as the audit job records it.
  const rows = store.db
    .prepare(
      `SELECT r.id, r.method, m.file AS modelFile, r.created_at AS createdAt,
         (SELECT count(*) FROM results x WHERE x.run_id = r.id) AS results,
         coalesce(
           (SELECT d.name FROM results x JOIN images i ON i.id = x.image_id JOIN datasets d ON d.id = i.dataset_id WHERE x.run_id = r.id LIMIT 1),
           (SELECT d.name FROM datasets d WHERE d.id = json_extract(CASE WHEN json_valid(r.params) THEN r.params END, '$.dataset'))
         ) AS dataset,
         (SELECT j.id FROM jobs j WHERE j.run_id = r.id ORDER BY j.id DESC LIMIT 1) AS jobId,
         (SELECT j.state FROM jobs j WHERE j.run_id = r.id ORDER BY j.id DESC LIMIT 1) AS state
       FROM runs r JOIN models m ON m.id = r.model_id ORDER BY r.id`,
    )
    .all() as Array<{ id: number; method: string; modelFile: string; createdAt: string; results: number; dataset: string | null; jobId: number | null; state: RunSummary['state'] }>;
  return rows.map((r) => ({
    id: Number(r.id),
    dataset: r.dataset ?? null,
    method: r.method,
    modelFile: r.modelFile,
    createdAt: r.createdAt,
    results: Number(r.results),
    jobId: r.jobId === null ? null : Number(r.jobId),
    state: r.state ?? null,
  }));
}
