import { el, type DicomDataset } from './dicom-dataset';
import { dicomDate, dicomTime, lumenEquipment, patientAndStudy, sopClasses, sourceReference, type DerivedFrom, type DerivedObject } from './derived-common';

export interface SecondaryCaptureSpec {
  from: DerivedFrom;
  /** 8-bit RGB, interleaved, at the source image's size. */
  image: { data: Uint8Array; width: number; height: number };
  seriesInstanceUid: string;
  sopInstanceUid: string;
  seriesNumber: number;
  seriesDescription: string;
  /** What was drawn, in words (Derivation Description, 1024 characters at most). */
  derivationDescription: string;
}

/**
 * The overlay as a Secondary Capture Image (PS3.3 A.8.1): RGB pixels with the heat map burned in
 * (Burned In Annotation YES, so a viewer never takes them for the original), made at a
 * workstation (Conversion Type WSD), in the source's study, referencing the source instance
 * through Source Image Sequence.
 */
export function secondaryCapture(spec: SecondaryCaptureSpec): DerivedObject {
  const { from, image } = spec;
  if (image.data.length !== image.width * image.height * 3) throw new Error(`RGB pixels of ${image.width} x ${image.height} need ${image.width * image.height * 3} bytes, not ${image.data.length}`);
  const source = from.source;
  const dataset: DicomDataset = {
    ...patientAndStudy(from),
    // SOP Common
    '00080016': el.text('UI', sopClasses.secondaryCapture),
    '00080018': el.text('UI', spec.sopInstanceUid),
    '00080012': el.text('DA', dicomDate(from.now)),
    '00080013': el.text('TM', dicomTime(from.now)),
    // General Series
    '00080060': el.text('CS', 'OT'),
    '0020000E': el.text('UI', spec.seriesInstanceUid),
    '00200011': el.text('IS', spec.seriesNumber),
    // Laterality (Type 2C): the source's, else unknown.
    '00200060': source?.dataset['00200060'] ?? el.empty('CS'),
    // SC Equipment
    '00080064': el.text('CS', 'WSD'),
    // General Image
    '00080008': el.text('CS', 'DERIVED', 'SECONDARY'),
    '00080023': el.text('DA', dicomDate(from.now)),
    '00080033': el.text('TM', dicomTime(from.now)),
    '00200013': el.text('IS', 1),
    '00200020': el.empty('CS'),
    '00280301': el.text('CS', 'YES'),
    // SC Image
    '00181012': el.text('DA', dicomDate(from.now)),
    '00181014': el.text('TM', dicomTime(from.now)),
    // Image Pixel
    '00280002': el.us(3),
    '00280004': el.text('CS', 'RGB'),
    '00280006': el.us(0),
    '00280010': el.us(image.height),
    '00280011': el.us(image.width),
    '00280100': el.us(8),
    '00280101': el.us(8),
    '00280102': el.us(7),
    '00280103': el.us(0),
    '7FE00010': el.bytes('OB', image.data),
  };
  if (source) dataset['00082112'] = el.seq(sourceReference(source, from.frameNumber));
  return {
    dataset,
    descriptors: {
      ...lumenEquipment(),
      '0008103E': el.text('LO', spec.seriesDescription.slice(0, 64)),
      '00082111': el.text('ST', spec.derivationDescription.slice(0, 1024)),
    },
    required: new Map<string, 1 | 2>([
      ['00100010', 2], ['00100020', 2], ['00100030', 2], ['00100040', 2],
      ['00080020', 2], ['00080030', 2], ['00080090', 2], ['00200010', 2], ['00080050', 2],
      ['00080023', 2], ['00080033', 2], ['00082112', 2],
    ]),
  };
}
