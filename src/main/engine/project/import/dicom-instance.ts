import type { DicomFacts } from '../../image/dicom/dicom-types';
import type { ProjectStore } from '../project-store';

/**
 * What the project keeps of a DICOM image (the `dicom_instances` row): where it belongs (patient,
 * study, series), which instance it is, and how many frames it holds. An image row is the file:
 * a multi-frame file is one row whose first frame is what Lumen reads, with its frame count kept
 * and shown, so a cine loop or a tomosynthesis stack is never silently counted as one picture.
 */
export interface DicomInstance {
  sopInstanceUid: string | null;
  sopClassUid: string | null;
  /** Identifies a person: used to group studies by patient, never shown or exported unless the user opts in. */
  patientId: string | null;
  studyInstanceUid: string | null;
  studyDescription: string | null;
  seriesInstanceUid: string | null;
  seriesDescription: string | null;
  seriesNumber: number | null;
  instanceNumber: number | null;
  modality: string | null;
  frames: number;
}

/** The instance facts of a DICOM image, from the reader's header facts. */
export function dicomInstanceOf(facts: DicomFacts): DicomInstance {
  const id = facts.identity;
  return {
    sopInstanceUid: id.sopInstanceUid ?? null,
    sopClassUid: id.sopClassUid ?? null,
    patientId: id.patientId ?? null,
    studyInstanceUid: id.studyInstanceUid ?? null,
    studyDescription: id.studyDescription ?? null,
    seriesInstanceUid: id.seriesInstanceUid ?? null,
    seriesDescription: id.seriesDescription ?? null,
    seriesNumber: id.seriesNumber ?? null,
    instanceNumber: id.instanceNumber ?? null,
    modality: id.modality ?? null,
    frames: facts.frames,
  };
}

/** Stores (or replaces) an image's DICOM facts; an image that is no longer DICOM loses them. */
export function saveDicomInstance(store: ProjectStore, imageId: number, instance: DicomInstance | undefined): void {
  if (!instance) {
    store.db.prepare('DELETE FROM dicom_instances WHERE image_id = ?').run(imageId);
    return;
  }
  store.db
    .prepare(
      `INSERT OR REPLACE INTO dicom_instances (image_id, sop_instance_uid, sop_class_uid, patient_id, study_instance_uid, study_description,
         series_instance_uid, series_description, series_number, instance_number, modality, frames)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      imageId,
      instance.sopInstanceUid,
      instance.sopClassUid,
      instance.patientId,
      instance.studyInstanceUid,
      instance.studyDescription,
      instance.seriesInstanceUid,
      instance.seriesDescription,
      instance.seriesNumber,
      instance.instanceNumber,
      instance.modality,
      instance.frames,
    );
}
