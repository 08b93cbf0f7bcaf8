/**
 * What the DICOM reader gives the rest of the engine. Kept apart from the reader so that the
 * dataset import, the card's preprocessing, de-identification and the DICOM writer can all depend
 * on these shapes without depending on how the data set is parsed or which codec decodes it.
 */

/** A VOI window (PS3.3 C.11.2.1.2): centre and width in modality units (after the Modality LUT). */
export interface VoiWindow {
  center: number;
  width: number;
  /** Window Center & Width Explanation, e.g. "LUNG", when the file names it. */
  explanation?: string;
}

/**
 * One table of the VOI LUT Sequence (0028,3010): stored modality values from `firstMapped` on map
 * to `data[i]`; values below map to the first entry, above to the last (PS3.3 C.11.2.1.1).
 */
export interface VoiLutTable {
  firstMapped: number;
  /** Bits per entry (LUT Descriptor's third value): outputs range over 0 .. 2^bits - 1. */
  bits: number;
  data: Uint16Array;
  explanation?: string;
}

/** Physical size of one pixel, for a millimetre scale bar. */
export interface PixelSpacing {
  /** Distance between rows (vertical), mm. */
  rowMm: number;
  /** Distance between columns (horizontal), mm. */
  columnMm: number;
  /** Which tag gave it: Pixel Spacing (patient plane) or Imager Pixel Spacing (detector plane). */
  source: 'PixelSpacing' | 'ImagerPixelSpacing';
}

/** Identifiers of the instance and the study/series it belongs to (what grouping and references need). */
export interface DicomIdentity {
  sopClassUid?: string;
  sopInstanceUid?: string;
  studyInstanceUid?: string;
  seriesInstanceUid?: string;
  frameOfReferenceUid?: string;
  patientId?: string;
  patientName?: string;
  studyDate?: string;
  studyDescription?: string;
  seriesDescription?: string;
  seriesNumber?: number;
  instanceNumber?: number;
  modality?: string;
  accessionNumber?: string;
}

/** The header facts of a DICOM image, read without decoding its pixels. */
export interface DicomFacts {
  identity: DicomIdentity;
  transferSyntaxUid: string;
  /** Photometric Interpretation, e.g. MONOCHROME1, MONOCHROME2, RGB, YBR_FULL, YBR_FULL_422, PALETTE COLOR. */
  photometric: string;
  rows: number;
  columns: number;
  /** Number of Frames (1 when absent). */
  frames: number;
  samplesPerPixel: 1 | 3;
  bitsAllocated: number;
  bitsStored: number;
  /** 0 unsigned, 1 two's complement. */
  pixelRepresentation: 0 | 1;
  /** 0 interleaved (R1G1B1R2…), 1 by plane (R…G…B…). */
  planarConfiguration: 0 | 1;
  /** Modality LUT as a linear rescale (slope 1, intercept 0 when absent). */
  rescaleSlope: number;
  rescaleIntercept: number;
  /** The Modality LUT Sequence's table, which replaces the rescale when the file has one. */
  modalityLutTable?: VoiLutTable;
  /** Why the Modality LUT Sequence cannot be used, when it cannot (the image is then refused). */
  modalityLutProblem?: string;
  /** The file's VOI windows (presets), in file order; empty when it has none. */
  windows: VoiWindow[];
  /** VOI LUT Function: LINEAR (default), LINEAR_EXACT or SIGMOID. */
  voiLutFunction: 'LINEAR' | 'LINEAR_EXACT' | 'SIGMOID';
  /** True when the file carries a VOI LUT Sequence (a table rather than a window). */
  hasVoiLutTable: boolean;
  /** The VOI LUT Sequence's tables when they are well formed. */
  voiLutTables?: VoiLutTable[];
  /** Why the VOI LUT Sequence cannot be used (malformed descriptor, data of the wrong length), when it cannot. */
  voiLutProblem?: string;
  spacing?: PixelSpacing;
  /** Burned In Annotation (0028,0301) = YES. */
  burnedInAnnotation: boolean;
}

/**
 * One decoded frame, after the Modality LUT: `values` holds modality units (e.g. Hounsfield
 * units for CT) for grayscale, or 0..255 / 0..65535 RGB samples (interleaved) for colour. Colour
 * data is always returned as RGB, whatever the file's YBR encoding or planar configuration.
 */
export interface DicomFrame {
  facts: DicomFacts;
  /** 0-based index of the frame decoded. */
  frame: number;
  width: number;
  height: number;
  channels: 1 | 3;
  values: Float32Array;
  /** Smallest and largest value in `values` (for a full-range window when the file has none). */
  min: number;
  max: number;
  /** Colour only: the largest value a sample can take (255 or 65535; a palette's entry size decides). */
  sampleMax?: number;
}
