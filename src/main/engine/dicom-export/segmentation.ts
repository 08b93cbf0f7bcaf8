import { code, el, type DicomDataset } from './dicom-dataset';
import { dicomDate, dicomTime, lumenEquipment, patientAndStudy, sopClasses, sourceReference, type DerivedFrom, type DerivedObject } from './derived-common';

export interface SegmentationSpec {
  from: DerivedFrom;
  /** One byte per pixel of the source image, non-zero inside the segment. */
  mask: { data: Uint8Array; width: number; height: number };
  seriesInstanceUid: string;
  sopInstanceUid: string;
  dimensionOrganizationUid: string;
  seriesNumber: number;
  seriesDescription: string;
  segmentLabel: string;
  /** How the segment was made, in words (Content Description, 64 characters at most). */
  description: string;
  algorithmName: string;
}

/** The segment's category and type: Lumen's own codes (a 99 scheme is private by PS3.16 8.2), as no standard code names an attribution. */
const segmentCategory = code('ATTRIBUTION', '99LUMEN', 'Model attribution');
const segmentType = code('TOP_REGIONS', '99LUMEN', 'Most attributed regions');

/**
 * One binary segment over the source image as a DICOM Segmentation (PS3.3 A.51): one frame of
 * packed bits the size of the source, the segment described (label, algorithm), each frame
 * referencing the source instance it was derived from, and in the source's frame of reference
 * with its plane position and orientation when the source has them.
 */
export function segmentation(spec: SegmentationSpec): DerivedObject {
  const { from, mask } = spec;
  if (mask.data.length !== mask.width * mask.height) throw new Error(`a ${mask.width} x ${mask.height} mask needs ${mask.width * mask.height} values, not ${mask.data.length}`);
  const source = from.source;
  const geometry = source?.geometry ?? {};
  const planar = geometry['00200052'] !== undefined;

  const shared: DicomDataset = {};
  const frame: DicomDataset = {
    '00209111': el.seq({ '00209157': el.ul(1) }),
    '0062000A': el.seq({ '0062000B': el.us(1) }),
  };
  if (planar) {
    shared['00289110'] = el.seq({ '00280030': geometry['00280030']!, '00180050': geometry['00180050'] ?? el.text('DS', 1) });
    shared['00209116'] = el.seq({ '00200037': geometry['00200037']! });
    frame['00209113'] = el.seq({ '00200032': geometry['00200032']! });
  }
  // Derivation Image (Type 2): the source instance, or empty when the source was not DICOM.
  frame['00089124'] = source ? el.seq({ '00082112': el.seq(sourceReference(source, from.frameNumber)), '00089215': el.seq(code('113076', 'DCM', 'Segmentation')) }) : el.seq();

  const dataset: DicomDataset = {
    ...patientAndStudy(from),
    // SOP Common
    '00080016': el.text('UI', sopClasses.segmentation),
    '00080018': el.text('UI', spec.sopInstanceUid),
    '00080012': el.text('DA', dicomDate(from.now)),
    '00080013': el.text('TM', dicomTime(from.now)),
    // General Series, Segmentation Series
    '00080060': el.text('CS', 'SEG'),
    '0020000E': el.text('UI', spec.seriesInstanceUid),
    '00200011': el.text('IS', spec.seriesNumber),
    // General Image, Segmentation Image
    '00080008': el.text('CS', 'DERIVED', 'PRIMARY'),
    '00200013': el.text('IS', 1),
    '00080023': el.text('DA', dicomDate(from.now)),
    '00080033': el.text('TM', dicomTime(from.now)),
    '00282110': el.text('CS', '00'),
    '00700080': el.text('CS', 'LUMEN_SEGMENT'),
    '00700084': el.empty('PN'),
    '00620001': el.text('CS', 'BINARY'),
    // Declares the private coding scheme of the segment's codes (PS3.3 C.12.1.1.5).
    '00080110': el.seq({ '00080102': el.text('SH', '99LUMEN'), '00080115': el.text('ST', 'Lumen attribution concepts'), '00080116': el.text('ST', 'Lumen') }),
    '00620002': el.seq({
      '00620003': el.seq(segmentCategory),
      '00620004': el.us(1),
      '00620005': el.text('LO', spec.segmentLabel.slice(0, 64)),
      '00620008': el.text('CS', 'AUTOMATIC'),
      '00620009': el.text('LO', spec.algorithmName.slice(0, 64)),
      '0062000F': el.seq(segmentType),
    }),
    // Image Pixel: one bit per pixel, packed
    '00280002': el.us(1),
    '00280004': el.text('CS', 'MONOCHROME2'),
    '00280008': el.text('IS', 1),
    '00280010': el.us(mask.height),
    '00280011': el.us(mask.width),
    '00280100': el.us(1),
    '00280101': el.us(1),
    '00280102': el.us(0),
    '00280103': el.us(0),
    '7FE00010': el.bytes('OB', packBits(mask.data)),
    // Multi-frame Functional Groups and Dimension
    '52009229': el.seq(shared),
    '52009230': el.seq(frame),
    '00209221': el.seq({ '00209164': el.text('UI', spec.dimensionOrganizationUid) }),
    '00209222': el.seq({
      '00209164': el.text('UI', spec.dimensionOrganizationUid),
      '00209165': el.at('0062000B'),
      '00209167': el.at('0062000A'),
      '00209421': el.text('LO', 'Segment'),
    }),
  };
  // Patient Orientation (Type 2C) when there is no plane orientation to say where the rows run.
  if (!planar) dataset['00200020'] = el.empty('CS');
  if (planar) {
    dataset['00200052'] = geometry['00200052']!;
    dataset['00201040'] = geometry['00201040'] ?? el.empty('LO');
  }
  if (source) {
    // Common Instance Reference: the series and instance the frames were derived from.
    dataset['00081115'] = el.seq({
      '0008114A': el.seq({ '00081150': el.text('UI', source.sopClassUid), '00081155': el.text('UI', source.sopInstanceUid) }),
      '0020000E': el.text('UI', source.seriesInstanceUid),
    });
  }
  return {
    dataset,
    descriptors: {
      ...lumenEquipment(),
      '0008103E': el.text('LO', spec.seriesDescription.slice(0, 64)),
      '00700081': el.text('LO', spec.description.slice(0, 64)),
    },
    required: new Map<string, 1 | 2>([
      ['00100010', 2], ['00100020', 2], ['00100030', 2], ['00100040', 2],
      ['00080020', 2], ['00080030', 2], ['00080090', 2], ['00200010', 2], ['00080050', 2],
      ['00080023', 1], ['00080033', 1], ['00700084', 2],
    ]),
  };
}

/**
 * Binary pixels packed eight to a byte, first pixel in the least significant bit (PS3.5 8.1.1,
 * Bits Allocated 1), padded to an even length.
 */
export function packBits(values: Uint8Array): Uint8Array {
  const bytes = Math.ceil(values.length / 8);
  const out = new Uint8Array(bytes + (bytes % 2));
  for (let i = 0; i < values.length; i++) if (values[i]) out[i >> 3]! |= 1 << (i & 7);
  return out;
}
