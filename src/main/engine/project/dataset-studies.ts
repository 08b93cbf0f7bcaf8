import type { z } from 'zod';
import type { DatasetStudies, DatasetStudiesParams, DicomStudySummary } from '../../../shared/contract/project';
import { findDataset } from './dataset-files';
import type { ProjectStore } from './project-store';

type Query = z.output<typeof DatasetStudiesParams>;

/**
 * A dataset's DICOM images grouped by patient, study and series: one SQL pass grouped by series,
 * studies in the order of their first image's path, series by number within a study. Patients are
 * numbered ("Patient 1"…) in the order their first study comes: the browser shows which studies
 * share a patient, and the patient's ID, which identifies a person, never leaves the project.
 */
export function datasetStudies(store: ProjectStore, query: Query): z.output<typeof DatasetStudies> {
  const dataset = findDataset(store, query.dataset);
  const rows = store.db
    .prepare(
      `SELECT coalesce(d.study_instance_uid, '') AS study, coalesce(d.series_instance_uid, '') AS series,
         coalesce(d.patient_id, '') AS patient, max(d.study_description) AS studyDescription,
         max(d.series_description) AS seriesDescription, min(d.series_number) AS seriesNumber, max(d.modality) AS modality,
         count(*) AS images, sum(d.frames) AS frames, min(i.path) AS firstPath
       FROM dicom_instances d JOIN images i ON i.id = d.image_id
       WHERE i.dataset_id = ?
       GROUP BY study, series, patient`,
    )
    .all(dataset.id) as Array<{
    study: string;
    series: string;
    patient: string;
    studyDescription: string | null;
    seriesDescription: string | null;
    seriesNumber: number | null;
    modality: string | null;
    images: number;
    frames: number;
    firstPath: string;
  }>;
  const studies = new Map<string, { summary: DicomStudySummary; patientKey: string; firstPath: string; seriesFirst: Map<string, string> }>();
  for (const r of rows) {
    // A study UID seen with two patient IDs stays two groups: the same UID must not merge two people.
    const key = `${r.study}\u0000${r.patient}`;
    let study = studies.get(key);
    if (!study) {
      study = { summary: { uid: r.study, description: r.studyDescription, patient: '', images: 0, series: [] }, patientKey: r.patient, firstPath: r.firstPath, seriesFirst: new Map() };
      studies.set(key, study);
    }
    if (r.firstPath < study.firstPath) study.firstPath = r.firstPath;
    study.summary.description ??= r.studyDescription;
    study.summary.images += Number(r.images);
    study.summary.series.push({
      uid: r.series,
      number: r.seriesNumber === null ? null : Number(r.seriesNumber),
      description: r.seriesDescription,
      modality: r.modality,
      images: Number(r.images),
      frames: Number(r.frames),
    });
    study.seriesFirst.set(r.series, r.firstPath);
  }
  const ordered = [...studies.values()].sort((a, b) => (a.firstPath < b.firstPath ? -1 : a.firstPath > b.firstPath ? 1 : 0));
  const patients = new Map<string, string>();
  for (const study of ordered) {
    if (!patients.has(study.patientKey)) patients.set(study.patientKey, `Patient ${patients.size + 1}`);
    study.summary.patient = patients.get(study.patientKey)!;
    study.summary.series.sort((a, b) => (a.number ?? Infinity) - (b.number ?? Infinity) || study.seriesFirst.get(a.uid)!.localeCompare(study.seriesFirst.get(b.uid)!));
  }
  return { patients: patients.size, studies: ordered.map((s) => s.summary) };
}
