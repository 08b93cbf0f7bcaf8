import type { DataSet } from 'dicom-parser';
import { LumenError } from '../../../../shared/errors';
import { oneLine } from '../../io/one-line';
import type { DicomFacts, DicomIdentity, PixelSpacing, VoiLutTable, VoiWindow } from './dicom-types';
import { readLutTable } from './lut-table';
import { parseDataSet, readingDicom } from './parse-data-set';

export { isDicom } from './is-dicom';

/** SOP classes whose instances never carry an image, named for the message that refuses them. */
const nonImageClasses: Record<string, string> = {
  '1.2.840.10008.1.3.10': 'a DICOMDIR (a media directory)',
  '1.2.840.10008.5.1.4.1.1.481.5': 'an RT Plan',
  '1.2.840.10008.5.1.4.1.1.481.3': 'an RT Structure Set',
  '1.2.840.10008.5.1.4.1.1.104.1': 'an Encapsulated PDF',
};

/**
 * The header facts of a DICOM image (geometry, sample format, Modality LUT, VOI windows and
 * tables, spacing, identity), without decoding its pixels. A DICOM file without pixel data (a
 * structured report, a plan, a DICOMDIR) is refused here, naming what it is.
 */
export function readDicomFacts(bytes: Uint8Array, name: string): DicomFacts {
  const { dataSet, transferSyntaxUid } = parseDataSet(bytes, name);
  return readingDicom(name, bytes, () => factsOf(dataSet, transferSyntaxUid, name));
}

/** The facts of an already parsed data set (the decoder parses once and reads both). */
export function factsOf(dataSet: DataSet, transferSyntaxUid: string, name: string): DicomFacts {
  const identity = identityOf(dataSet);
  const shown = oneLine(name);
  if (!dataSet.elements.x7fe00010) {
    const kind = describeNonImage(dataSet, identity);
    const floatData = dataSet.elements.x7fe00008 || dataSet.elements.x7fe00009;
    throw new LumenError(
      'invalid-image',
      floatData
        ? `"${shown}" holds floating-point pixel data (Float/Double Float Pixel Data), which Lumen does not read.`
        : `"${shown}" is ${kind} with no pixel data: there is no image to open.`,
      'Open the DICOM image itself (a file with Pixel Data), not a report or other non-image object.',
      { name, sopClassUid: identity.sopClassUid },
    );
  }
  const rows = dataSet.uint16('x00280010');
  const columns = dataSet.uint16('x00280011');
  if (!rows || !columns) {
    throw new LumenError('invalid-image', `"${shown}" has pixel data but no Rows/Columns, so its image size is unknown.`, 'The file is damaged; export it again from its source.', { name });
  }
  const samples = dataSet.uint16('x00280002') ?? 1;
  if (samples !== 1 && samples !== 3) {
    throw new LumenError('invalid-image', `"${shown}" has ${samples} samples per pixel; Lumen reads 1 (grayscale) or 3 (colour).`, 'Convert the image to grayscale or RGB (e.g. with dcmconv or gdcmconv).', { name });
  }
  const bitsAllocated = dataSet.uint16('x00280100') ?? 16;
  const bitsStored = dataSet.uint16('x00280101') ?? bitsAllocated;
  const photometric = (dataSet.string('x00280004') ?? (samples === 3 ? 'RGB' : 'MONOCHROME2')).toUpperCase();
  const tables = voiLutTablesOf(dataSet, dataSet.uint16('x00280103') === 1);
  const facts: DicomFacts = {
    identity,
    transferSyntaxUid,
    photometric,
    rows,
    columns,
    frames: Math.max(1, dataSet.intString('x00280008') ?? 1),
    samplesPerPixel: samples,
    bitsAllocated,
    bitsStored,
    pixelRepresentation: dataSet.uint16('x00280103') === 1 ? 1 : 0,
    planarConfiguration: dataSet.uint16('x00280006') === 1 ? 1 : 0,
    rescaleSlope: dataSet.floatString('x00281053') || 1,
    rescaleIntercept: dataSet.floatString('x00281052') ?? 0,
    windows: windowsOf(dataSet),
    voiLutFunction: voiFunctionOf(dataSet),
    hasVoiLutTable: dataSet.elements.x00283010 !== undefined,
    burnedInAnnotation: (dataSet.string('x00280301') ?? '').toUpperCase() === 'YES',
  };
  if (tables.tables.length > 0) facts.voiLutTables = tables.tables;
  const modalityLut = modalityLutOf(dataSet, facts.pixelRepresentation === 1);
  if (typeof modalityLut === 'string') facts.modalityLutProblem = modalityLut;
  else if (modalityLut) facts.modalityLutTable = modalityLut;
  if (tables.problem) facts.voiLutProblem = tables.problem;
  const spacing = spacingOf(dataSet);
  if (spacing) facts.spacing = spacing;
  return facts;
}

function identityOf(ds: DataSet): DicomIdentity {
  const identity: DicomIdentity = {};
  const text = (key: keyof DicomIdentity, tag: string): void => {
    const value = ds.string(tag)?.replace(/\0/g, '').trim();
    if (value) (identity as Record<string, unknown>)[key] = value;
  };
  const integer = (key: keyof DicomIdentity, tag: string): void => {
    const value = ds.intString(tag);
    if (value !== undefined && Number.isFinite(value)) (identity as Record<string, unknown>)[key] = value;
  };
  text('sopClassUid', 'x00080016');
  text('sopInstanceUid', 'x00080018');
  text('studyInstanceUid', 'x0020000d');
  text('seriesInstanceUid', 'x0020000e');
  text('frameOfReferenceUid', 'x00200052');
  text('patientId', 'x00100020');
  text('patientName', 'x00100010');
  text('studyDate', 'x00080020');
  text('studyDescription', 'x00081030');
  text('seriesDescription', 'x0008103e');
  integer('seriesNumber', 'x00200011');
  integer('instanceNumber', 'x00200013');
  text('modality', 'x00080060');
  text('accessionNumber', 'x00080050');
  return identity;
}

function describeNonImage(ds: DataSet, identity: DicomIdentity): string {
  const sopClass = identity.sopClassUid ?? '';
  if (nonImageClasses[sopClass]) return nonImageClasses[sopClass];
  if (sopClass.startsWith('1.2.840.10008.5.1.4.1.1.88.') || identity.modality === 'SR') return 'a DICOM Structured Report';
  if (ds.elements.x00041220) return 'a DICOMDIR (a media directory)';
  if (ds.elements.x54000100) return 'a DICOM waveform (e.g. an ECG)';
  return `a DICOM object${identity.modality ? ` of modality ${identity.modality}` : ''}`;
}

/** Window Center/Width (0028,1050/1051), multi-valued: one preset per pair, with its explanation. */
function windowsOf(ds: DataSet): VoiWindow[] {
  const centers = ds.numStringValues('x00281050') ?? 0;
  const widths = ds.numStringValues('x00281051') ?? 0;
  const windows: VoiWindow[] = [];
  for (let i = 0; i < Math.min(centers, widths); i++) {
    const center = ds.floatString('x00281050', i);
    const width = ds.floatString('x00281051', i);
    if (center === undefined || width === undefined || !Number.isFinite(center) || !Number.isFinite(width) || width <= 0) continue;
    const explanation = ds.string('x00281055', i)?.trim();
    windows.push(explanation ? { center, width, explanation } : { center, width });
  }
  return windows;
}

function voiFunctionOf(ds: DataSet): DicomFacts['voiLutFunction'] {
  const value = (ds.string('x00281056') ?? '').trim().toUpperCase();
  return value === 'SIGMOID' || value === 'LINEAR_EXACT' ? value : 'LINEAR';
}

/** Pixel Spacing (patient plane) when present, else Imager Pixel Spacing (detector plane). */
function spacingOf(ds: DataSet): PixelSpacing | undefined {
  for (const [tag, source] of [
    ['x00280030', 'PixelSpacing'],
    ['x00181164', 'ImagerPixelSpacing'],
  ] as const) {
    const rowMm = ds.floatString(tag, 0);
    const columnMm = ds.floatString(tag, 1) ?? rowMm;
    if (rowMm !== undefined && columnMm !== undefined && rowMm > 0 && columnMm > 0 && Number.isFinite(rowMm) && Number.isFinite(columnMm)) {
      return { rowMm, columnMm, source };
    }
  }
  return undefined;
}

/**
 * The VOI LUT Sequence's tables (PS3.3 C.11.2.1.1). Anything malformed (no descriptor, an entry
 * size outside 8..16 bits, data shorter than the descriptor says) is reported, not guessed at.
 */
function voiLutTablesOf(ds: DataSet, signed: boolean): { tables: VoiLutTable[]; problem?: string } {
  const sequence = ds.elements.x00283010;
  if (!sequence) return { tables: [] };
  const items = sequence.items ?? [];
  if (items.length === 0) return { tables: [], problem: 'the VOI LUT Sequence has no readable items' };
  const tables: VoiLutTable[] = [];
  for (const [index, item] of items.entries()) {
    const table = readLutTable(item.dataSet, signed, `VOI LUT ${index + 1}`);
    if (typeof table === 'string') return { tables, problem: table };
    tables.push(table);
  }
  return { tables };
}

/** The Modality LUT Sequence's table (PS3.3 C.11.1), which replaces Rescale Slope/Intercept when present. */
function modalityLutOf(ds: DataSet, signed: boolean): VoiLutTable | string | undefined {
  const sequence = ds.elements.x00283000;
  if (!sequence) return undefined;
  return readLutTable(sequence.items?.[0]?.dataSet, signed, 'the Modality LUT');
}
