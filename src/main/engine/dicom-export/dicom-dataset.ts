import dcmjs from 'dcmjs';

/**
 * A DICOM data set as dcmjs reads and writes it: elements keyed by their tag (8 upper-case hex
 * digits), each with its VR and values. Sequences hold nested data sets.
 */
export interface DicomElement {
  vr: string;
  Value?: unknown[];
}
export type DicomDataset = Record<string, DicomElement>;

/** The transfer syntax Lumen writes: explicit VR little endian, uncompressed (every viewer reads it). */
export const explicitVrLittleEndian = '1.2.840.10008.1.2.1';

/** Element builders, so a data set reads like the standard's module tables. */
export const el = {
  text: (vr: 'AE' | 'AS' | 'CS' | 'DA' | 'DS' | 'DT' | 'IS' | 'LO' | 'LT' | 'SH' | 'ST' | 'TM' | 'UI' | 'UT', ...values: Array<string | number>): DicomElement => ({ vr, Value: values }),
  /** A zero-length value (Type 2 attributes with nothing to say). */
  empty: (vr: string): DicomElement => ({ vr, Value: [] }),
  person: (...names: string[]): DicomElement => ({ vr: 'PN', Value: names.map((name) => ({ Alphabetic: name })) }),
  us: (...values: number[]): DicomElement => ({ vr: 'US', Value: values }),
  ul: (...values: number[]): DicomElement => ({ vr: 'UL', Value: values }),
  /** Attribute Tag values, given as 8 hex digits (dcmjs writes them from numbers). */
  at: (...tags: string[]): DicomElement => ({ vr: 'AT', Value: tags.map((t) => Number.parseInt(t, 16)) }),
  seq: (...items: DicomDataset[]): DicomElement => ({ vr: 'SQ', Value: items }),
  bytes: (vr: 'OB' | 'OW', data: Uint8Array): DicomElement => ({ vr, Value: [data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)] }),
};

/** A coded concept (PS3.3 Table 8.8-1, the Code Sequence Macro's three attributes). */
export function code(value: string, scheme: string, meaning: string): DicomDataset {
  return { '00080100': el.text('SH', value), '00080102': el.text('SH', scheme), '00080104': el.text('LO', meaning) };
}

/** The first value of an element as text ('' when absent or empty); person names as their alphabetic form. */
export function textOf(dataset: DicomDataset, tag: string): string {
  const value = dataset[tag]?.Value?.[0];
  if (value === undefined || value === null) return '';
  if (typeof value === 'object' && 'Alphabetic' in value) return String((value as { Alphabetic?: unknown }).Alphabetic ?? '');
  return String(value).replace(/[\0 ]+$/, '');
}

/**
 * Reads a Part 10 file (or a bare data set dcmjs accepts) into its meta header and data set;
 * `headerOnly` stops before Pixel Data (for reading identifiers without copying the image).
 */
export function readDataset(bytes: Uint8Array, options: { headerOnly?: boolean } = {}): { meta: DicomDataset; dataset: DicomDataset } {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const message = dcmjs.data.DicomMessage.readFile(buffer, { ignoreErrors: true, ...(options.headerOnly ? { untilTag: '7FE00010', includeUntilTagValue: false } : {}) });
  return { meta: message.meta as DicomDataset, dataset: message.dict as DicomDataset };
}

/** Lumen's implementation identity in every file's meta header (PS3.7 D.3.3.2). */
export const implementationClassUid = '2.25.87104338154263592719211917520386413290';
export const implementationVersionName = 'LUMEN';

/** A Part 10 file: preamble, meta header for this SOP instance, the data set in explicit VR little endian. */
export function writePart10(dataset: DicomDataset): Uint8Array {
  const sopClass = textOf(dataset, '00080016');
  const sopInstance = textOf(dataset, '00080018');
  if (!sopClass || !sopInstance) throw new Error('a data set to write needs its SOP Class UID and SOP Instance UID');
  const meta: DicomDataset = {
    '00020001': el.bytes('OB', new Uint8Array([0, 1])),
    '00020002': el.text('UI', sopClass),
    '00020003': el.text('UI', sopInstance),
    '00020010': el.text('UI', explicitVrLittleEndian),
    '00020012': el.text('UI', implementationClassUid),
    '00020013': el.text('SH', implementationVersionName),
  };
  const dict = new dcmjs.data.DicomDict(meta);
  dict.dict = dataset;
  return new Uint8Array(dict.write());
}
