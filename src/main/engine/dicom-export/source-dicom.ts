import { hasPart10Preamble, isDicom } from '../image/dicom/is-dicom';
import { readDataset, textOf, type DicomDataset } from './dicom-dataset';

/**
 * What a derived object takes from its DICOM source: the patient and study it belongs to (copied
 * as they are; the de-identifier decides what may leave), the instance it references, and the
 * geometry a segmentation needs to lie on it.
 */
export interface SourceDicom {
  sopClassUid: string;
  sopInstanceUid: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  /** The Patient, Patient Study and General Study attributes the source has, to copy into derived objects. */
  patientAndStudy: DicomDataset;
  /** Frame of Reference, orientation, position and spacing, when the source has them (cross-sectional images). */
  geometry: DicomDataset;
  rows: number;
  columns: number;
  /** Number of Frames (1 when absent). */
  frames: number;
  /** Burned In Annotation = YES: its pixels may show text (names, dates) that no header change removes. */
  burnedInAnnotation: boolean;
  /** The whole data set as read (for the report's identifier scrubbing and tests). */
  dataset: DicomDataset;
}

/** Patient (C.7.1.1), Patient Study (C.7.2.2) and General Study (C.7.2.1) attributes copied into derived objects. */
const copiedAttributes = [
  '00080020', // Study Date
  '00080030', // Study Time
  '00080050', // Accession Number
  '00080090', // Referring Physician's Name
  '00081030', // Study Description
  '00100010', // Patient's Name
  '00100020', // Patient ID
  '00100021', // Issuer of Patient ID
  '00100030', // Patient's Birth Date
  '00100040', // Patient's Sex
  '00101000', // Other Patient IDs
  '00101001', // Other Patient Names
  '00101010', // Patient's Age
  '00101020', // Patient's Size
  '00101030', // Patient's Weight
  '00120062', // Patient Identity Removed (a source de-identified before)
  '00120063', // De-identification Method
  '00120064', // De-identification Method Code Sequence
  '0020000D', // Study Instance UID
  '00200010', // Study ID
] as const;

const geometryAttributes = [
  '00180050', // Slice Thickness
  '00200032', // Image Position (Patient)
  '00200037', // Image Orientation (Patient)
  '00200052', // Frame of Reference UID
  '00201040', // Position Reference Indicator
  '00280030', // Pixel Spacing
] as const;

/** The source's DICOM identity, or null for a file that is not DICOM (PNG, JPEG, TIFF...). */
export function sourceDicom(bytes: Uint8Array): SourceDicom | null {
  if (!hasPart10Preamble(bytes) && !isDicom(bytes)) return null;
  const { dataset } = readDataset(bytes);
  const pick = (tags: readonly string[]): DicomDataset => Object.fromEntries(tags.filter((t) => dataset[t] !== undefined).map((t) => [t, dataset[t]!]));
  const geometry = pick(geometryAttributes);
  return {
    sopClassUid: textOf(dataset, '00080016'),
    sopInstanceUid: textOf(dataset, '00080018'),
    studyInstanceUid: textOf(dataset, '0020000D'),
    seriesInstanceUid: textOf(dataset, '0020000E'),
    patientAndStudy: pick(copiedAttributes),
    // Only a complete plane description is of use: a Frame of Reference without position and orientation is not.
    geometry: geometry['00200052'] && geometry['00200032'] && geometry['00200037'] && geometry['00280030'] ? geometry : {},
    rows: Number(textOf(dataset, '00280010')) || 0,
    columns: Number(textOf(dataset, '00280011')) || 0,
    frames: Number(textOf(dataset, '00280008')) || 1,
    burnedInAnnotation: textOf(dataset, '00280301').toUpperCase() === 'YES',
    dataset,
  };
}
