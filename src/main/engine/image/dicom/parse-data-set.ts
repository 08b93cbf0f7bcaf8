import { inflateRawSync } from 'node:zlib';
import dicomParser, { type DataSet } from 'dicom-parser';
import { LumenError } from '../../../../shared/errors';
import { oneLine } from '../../io/one-line';
import { bareLayout, hasPart10Preamble } from './is-dicom';

/** A parsed data set and the transfer syntax its pixel data is encoded in. */
export interface ParsedDicom {
  dataSet: DataSet;
  transferSyntaxUid: string;
}

const implicitLittle = '1.2.840.10008.1.2';
const explicitLittle = '1.2.840.10008.1.2.1';
const explicitBig = '1.2.840.10008.1.2.2';

/**
 * Parses a DICOM file's data set with dicom-parser (pixel data is located, not decoded). Files
 * without the 128-byte preamble, and bare data sets without a meta header, are read too: the
 * transfer syntax of a bare data set is inferred from how its first element is encoded.
 */
export function parseDataSet(bytes: Uint8Array, name: string): ParsedDicom {
  let input = bytes;
  let assumedSyntax: string | undefined;
  if (!hasPart10Preamble(bytes)) {
    const layout = bareLayout(bytes);
    if (layout === undefined) throw notDicom(name);
    if (layout === 'meta') input = withPreamble(bytes);
    else assumedSyntax = layout === 'implicit-little' ? implicitLittle : layout === 'explicit-little' ? explicitLittle : explicitBig;
  }
  let dataSet: DataSet;
  try {
    dataSet = dicomParser.parseDicom(input, {
      ...(assumedSyntax ? { TransferSyntaxUID: assumedSyntax } : {}),
      inflater: inflate,
      vrCallback: implicitVr,
    });
  } catch (error) {
    throw parseError(name, bytes, error);
  }
  const transferSyntaxUid = dataSet.string('x00020010')?.replace(/\0/g, '').trim() || assumedSyntax;
  if (!transferSyntaxUid) {
    throw new LumenError('invalid-image', `"${oneLine(name)}" is a DICOM file whose meta header names no transfer syntax.`, 'Re-export the file from its source (or fix it with dcmconv).', { name });
  }
  return { dataSet, transferSyntaxUid };
}

/**
 * In implicit VR a sequence is only parsed as one when its VR is known; these are the sequences
 * the reader needs (VOI LUT, Modality LUT, and the referencing sequences others read).
 */
const implicitSequences = new Set(['x00283010', 'x00283000', 'x00081115', 'x00081140', 'x00082112', 'x0040a730', 'x00540016', 'x52009229', 'x52009230']);
function implicitVr(tag: string): string | undefined {
  return implicitSequences.has(tag) ? 'SQ' : undefined;
}

/** Prepends an empty preamble and "DICM" so that dicom-parser reads a meta header that starts at byte 0. */
function withPreamble(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length + 132);
  out.set([0x44, 0x49, 0x43, 0x4d], 128);
  out.set(bytes, 132);
  return out;
}

/** dicom-parser's hook for Deflated Explicit VR Little Endian: the meta header kept, the rest inflated (raw deflate, PS3.5 A.5). */
function inflate(bytes: Uint8Array, position: number): Uint8Array {
  const inflated = inflateRawSync(bytes.subarray(position));
  const out = new Uint8Array(position + inflated.length);
  out.set(bytes.subarray(0, position), 0);
  out.set(inflated, position);
  return out;
}

function notDicom(name: string): LumenError {
  return new LumenError('invalid-image', `"${oneLine(name)}" is not a DICOM file (no "DICM" marker and no DICOM data set at its start).`, 'Give a DICOM file (.dcm) or a JPEG, PNG, WebP or TIFF image.', { name });
}

/**
 * Runs a read of a parsed data set (facts, pixel data): dicom-parser's accessors throw bare strings
 * on elements that run past the end of a damaged file; those become a LumenError about the file.
 */
export function readingDicom<T>(name: string, bytes: Uint8Array, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw asDicomError(name, bytes, error);
  }
}

/** Any error met reading a DICOM file as a LumenError (LumenErrors pass through unchanged). */
export function asDicomError(name: string, bytes: Uint8Array, error: unknown): LumenError {
  return error instanceof LumenError ? error : parseError(name, bytes, error);
}

/** dicom-parser throws strings or `{ exception, dataSet }`; both become a message about the file. */
function parseError(name: string, bytes: Uint8Array, error: unknown): LumenError {
  const inner = typeof error === 'object' && error !== null && 'exception' in error ? (error as { exception: unknown }).exception : error;
  const text = (inner instanceof Error ? inner.message : String(inner)).replace(/^dicomParser[.:]\w+: /, '').split('\n')[0]!.slice(0, 160);
  const shown = oneLine(name);
  if (/overrun|overread|end of buffer|past end|read past|truncat|exceeds|beyond|maxPosition|greater than or equal to 'byteArray' length/i.test(text)) {
    return new LumenError('invalid-image', `"${shown}" is a DICOM file cut short: its data ends (at ${bytes.length} bytes) in the middle of an element.`, 'Copy or export the file again from its source.', { name, detail: text });
  }
  if (/inflat|deflate|zlib|incorrect header|invalid (block|distance|code)/i.test(text)) {
    return new LumenError('invalid-image', `"${shown}" is a deflated DICOM file whose compressed data is damaged (${text}).`, 'Copy or export the file again from its source.', { name });
  }
  return new LumenError('invalid-image', `"${shown}" could not be read as DICOM (${text}).`, 'Copy or export the file again from its source, or check it with dcmdump.', { name });
}
