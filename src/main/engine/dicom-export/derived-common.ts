import { lumenVersion } from '../../../shared/version';
import { code, el, type DicomDataset } from './dicom-dataset';
import type { SourceDicom } from './source-dicom';

/** What every object Lumen derives from one image shares: its source, its study and when it was made. */
export interface DerivedFrom {
  /** The source's DICOM identity; null when the image was not DICOM. */
  source: SourceDicom | null;
  /** The source's study, or for a non-DICOM image one made up for it (the same for all objects of an export). */
  studyInstanceUid: string;
  now: Date;
  /** The source frame explained (1-based), referenced when the source has several. */
  frameNumber?: number;
}

/** A derived object before it is written: its data set, and what de-identification needs to know of it. */
export interface DerivedObject {
  dataset: DicomDataset;
  /**
   * What Lumen writes about itself (series description, derivation, its equipment): it says what
   * Lumen did and holds nothing of the source, so it is added after de-identification (the
   * profile's Clean Descriptors option: the source's descriptors are removed, Lumen's are clean).
   */
  descriptors: DicomDataset;
  /** Attributes the IOD needs present: Type 1 (a dummy where the profile removes) or Type 2 (may be empty). */
  required: ReadonlyMap<string, 1 | 2>;
}

/** The SOP classes Lumen writes. */
export const sopClasses = {
  secondaryCapture: '1.2.840.10008.5.1.4.1.1.7',
  segmentation: '1.2.840.10008.5.1.4.1.1.66.4',
} as const;

export const dicomDate = (d: Date): string => `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
export const dicomTime = (d: Date): string => `${String(d.getUTCHours()).padStart(2, '0')}${String(d.getUTCMinutes()).padStart(2, '0')}${String(d.getUTCSeconds()).padStart(2, '0')}`;

/**
 * Patient and General Study modules: the source's attributes as they are (de-identification comes
 * after, over the whole object), or for a non-DICOM source the Type 2 attributes empty: there is no
 * patient or study to name.
 */
export function patientAndStudy(from: DerivedFrom): DicomDataset {
  const empty: DicomDataset = {
    '00080020': el.empty('DA'),
    '00080030': el.empty('TM'),
    '00080050': el.empty('SH'),
    '00080090': el.empty('PN'),
    '00100010': el.empty('PN'),
    '00100020': el.empty('LO'),
    '00100030': el.empty('DA'),
    '00100040': el.empty('CS'),
    '00200010': el.empty('SH'),
  };
  // dcmjs reads every source into UTF-8 and writes UTF-8: say so, whatever the source declared.
  return { ...empty, ...(from.source?.patientAndStudy ?? {}), '00080005': el.text('CS', 'ISO_IR 192'), '0020000D': el.text('UI', from.studyInstanceUid) };
}

/** General Equipment (C.7.5.1) and Enhanced General Equipment (C.7.5.2): Lumen made this object. */
export function lumenEquipment(): DicomDataset {
  return {
    '00080070': el.text('LO', 'Lumen'),
    '00081090': el.text('LO', 'Lumen attribution workstation'),
    '00181000': el.text('LO', 'LUMEN'),
    '00181020': el.text('LO', lumenVersion),
  };
}

/**
 * Image SOP classes defined as single-frame: a file of one of them that holds several frames anyway
 * (it happens) is referenced whole, as a reference to a frame of it is not allowed.
 */
const singleFrameClasses = new Set([
  '1.2.840.10008.5.1.4.1.1.1', // CR
  '1.2.840.10008.5.1.4.1.1.1.1', // DX for presentation
  '1.2.840.10008.5.1.4.1.1.1.1.1', // DX for processing
  '1.2.840.10008.5.1.4.1.1.1.2', // MG for presentation
  '1.2.840.10008.5.1.4.1.1.1.2.1', // MG for processing
  '1.2.840.10008.5.1.4.1.1.2', // CT
  '1.2.840.10008.5.1.4.1.1.4', // MR
  '1.2.840.10008.5.1.4.1.1.6.1', // US
  '1.2.840.10008.5.1.4.1.1.7', // Secondary Capture
  '1.2.840.10008.5.1.4.1.1.128', // PET
]);

/** A reference to the source instance, with why it is referenced (CID 7202: source image for image processing). */
export function sourceReference(source: SourceDicom, frameNumber?: number): DicomDataset {
  return {
    '00081150': el.text('UI', source.sopClassUid),
    '00081155': el.text('UI', source.sopInstanceUid),
    ...(source.frames > 1 && frameNumber !== undefined && !singleFrameClasses.has(source.sopClassUid) ? { '00081160': el.text('IS', frameNumber) } : {}),
    '0040A170': el.seq(code('121322', 'DCM', 'Source image for image processing operation')),
  };
}
