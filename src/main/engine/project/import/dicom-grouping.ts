import type { ProjectStore } from '../project-store';
import type { DicomGrouping } from './report';

/**
 * How a dataset's DICOM images group: distinct patients, studies and series, and how many files
 * hold more than one frame. Counted from the stored facts, so a re-import reports the whole
 * dataset, not only what it added. A missing patient ID or UID counts as one group of its own.
 */
export function dicomGrouping(store: ProjectStore, dataset: number): DicomGrouping {
  const row = store.db
    .prepare(
      `SELECT count(DISTINCT coalesce(d.patient_id, '')) AS patients,
         count(DISTINCT coalesce(d.study_instance_uid, '')) AS studies,
         count(DISTINCT coalesce(d.study_instance_uid, '') || '|' || coalesce(d.series_instance_uid, '')) AS series,
         count(*) AS images,
         sum(CASE WHEN d.frames > 1 THEN 1 ELSE 0 END) AS multiFrame
       FROM dicom_instances d JOIN images i ON i.id = d.image_id WHERE i.dataset_id = ?`,
    )
    .get(dataset) as { patients: number; studies: number; series: number; images: number; multiFrame: number | null };
  const images = Number(row.images);
  if (images === 0) return { patients: 0, studies: 0, series: 0, images: 0, multiFrame: 0 };
  return { patients: Number(row.patients), studies: Number(row.studies), series: Number(row.series), images, multiFrame: Number(row.multiFrame ?? 0) };
}
