import type { DataSet } from 'dicom-parser';
import { LumenError } from '../../../../shared/errors';
import { oneLine } from '../../io/one-line';
import { libjpegGuessedYcbcr, withRgbComponentIds } from './codecs/jpeg-colour';
import { decodeJpegLossless } from './codecs/jpeg-lossless';
import { decodeWithWasm, type CodecOutput } from './codecs/wasm-decoder';
import { applyPalette, interleave, toFloat, upsample422, ybrFullToRgb } from './colour';
import { decodeRle } from './decode-rle';
import type { DicomFacts, DicomFrame } from './dicom-types';
import { frameBytes } from './frame-bytes';
import { lookUp } from './lut-table';
import { nativeSamples } from './native-samples';
import { asDicomError, parseDataSet, readingDicom } from './parse-data-set';
import { factsOf } from './read-dicom-facts';
import { bigEndianTransferSyntax, pixelEncoding, transferSyntaxName } from './transfer-syntax';

/** Samples as a decoder leaves them: unsigned words, interleaved by pixel or by plane. */
interface RawSamples {
  words: ArrayLike<number>;
  planar: boolean;
  /** Whether YBR data is still YBR (native and RLE) or the codec already gave RGB (JPEG, JPEG 2000). */
  colourConverted: boolean;
}

/**
 * Decodes one frame (0-based) of a DICOM image to modality values (Modality LUT applied) or RGB.
 * Every transfer syntax pydicom's test files use is read: native little/big endian, implicit and
 * explicit VR, deflated, RLE, JPEG baseline/extended (8-bit), JPEG lossless, JPEG-LS, JPEG 2000.
 */
export async function decodeDicomFrame(bytes: Uint8Array, name: string, frame = 0): Promise<DicomFrame> {
  const { dataSet, transferSyntaxUid } = parseDataSet(bytes, name);
  const facts = readingDicom(name, bytes, () => factsOf(dataSet, transferSyntaxUid, name));
  return decodeParsedFrame(dataSet, facts, frame, name);
}

/** The same, for a data set already parsed with its facts read. */
export async function decodeParsedFrame(dataSet: DataSet, facts: DicomFacts, frame: number, name: string): Promise<DicomFrame> {
  let raw: RawSamples;
  try {
    raw = await rawSamples(dataSet, facts, frame, oneLine(name));
  } catch (error) {
    throw asDicomError(name, dataSet.byteArray, error);
  }
  return readingDicom(name, dataSet.byteArray, () => valuesOf(dataSet, facts, frame, name, raw));
}

function valuesOf(dataSet: DataSet, facts: DicomFacts, frame: number, name: string, raw: RawSamples): DicomFrame {
  const shown = oneLine(name);
  const width = facts.columns;
  const height = facts.rows;
  const pixels = width * height;
  const need = facts.photometric === 'YBR_FULL_422' && !raw.colourConverted ? pixels * 2 : pixels * facts.samplesPerPixel;
  if (raw.words.length < need) {
    throw new LumenError('invalid-image', `"${shown}" decodes to ${raw.words.length} samples where ${width} x ${height} x ${facts.samplesPerPixel} were expected.`, 'The file is damaged or its header contradicts its pixel data.', { name });
  }

  if (facts.photometric === 'PALETTE COLOR' && facts.samplesPerPixel === 1) {
    const { values, sampleMax } = applyPalette(storedValues(raw.words, facts, pixels), dataSet, shown);
    return finish(facts, frame, width, height, 3, values, sampleMax);
  }
  if (facts.samplesPerPixel === 1) return finish(facts, frame, width, height, 1, modalityValues(raw.words, facts, pixels, shown));
  return finish(facts, frame, width, height, 3, rgbValues(raw, facts, width, height), 2 ** facts.bitsStored - 1);
}

/** Grey samples through the Modality LUT: the Modality LUT Sequence's table when the file has one, else the rescale. */
function modalityValues(words: ArrayLike<number>, facts: DicomFacts, pixels: number, shown: string): Float32Array {
  if (facts.modalityLutProblem) {
    throw new LumenError('invalid-image', `"${shown}": its Modality LUT cannot be used (${facts.modalityLutProblem}), so its pixel values have no known meaning.`, 'Export the image again from its source.', { name: shown });
  }
  const table = facts.modalityLutTable;
  if (!table) return storedValues(words, facts, pixels, facts.rescaleSlope, facts.rescaleIntercept);
  const stored = storedValues(words, facts, pixels);
  for (let i = 0; i < stored.length; i++) stored[i] = lookUp(table, stored[i]!);
  return stored;
}

/** Colour samples as interleaved RGB: 4:2:2 upsampled, planes interleaved, YBR_FULL converted, as each needs. */
function rgbValues(raw: RawSamples, facts: DicomFacts, width: number, height: number): Float32Array {
  const pixels = width * height;
  const ybr = facts.photometric === 'YBR_FULL' || facts.photometric === 'YBR_FULL_422';
  let values: Float32Array;
  if (facts.photometric === 'YBR_FULL_422' && !raw.colourConverted) values = upsample422(raw.words, width, height);
  else if (raw.planar) values = interleave(raw.words, pixels);
  else values = toFloat(raw.words, pixels * 3);
  if (ybr && !raw.colourConverted) ybrFullToRgb(values, facts.bitsStored);
  return values;
}

function finish(facts: DicomFacts, frame: number, width: number, height: number, channels: 1 | 3, values: Float32Array, sampleMax?: number): DicomFrame {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const result: DicomFrame = { facts, frame, width, height, channels, values, min, max };
  if (sampleMax !== undefined) result.sampleMax = sampleMax;
  return result;
}

function checkSampleFormat(facts: DicomFacts, shown: string): void {
  const { bitsAllocated, bitsStored, photometric, samplesPerPixel } = facts;
  if (![1, 8, 16, 32].includes(bitsAllocated) || bitsStored < 1 || bitsStored > bitsAllocated) {
    throw new LumenError('invalid-image', `"${shown}" declares ${bitsStored} bits stored in ${bitsAllocated} allocated, which Lumen cannot read.`, 'The file is damaged or unusual; convert it with dcmconv or gdcmconv.', { name: shown });
  }
  const grey = photometric === 'MONOCHROME1' || photometric === 'MONOCHROME2' || photometric === 'PALETTE COLOR';
  const colour = ['RGB', 'YBR_FULL', 'YBR_FULL_422', 'YBR_RCT', 'YBR_ICT'].includes(photometric);
  if ((samplesPerPixel === 1 && !grey) || (samplesPerPixel === 3 && !colour)) {
    throw new LumenError('invalid-image', `"${shown}" has Photometric Interpretation ${photometric} with ${samplesPerPixel} sample(s) per pixel, which Lumen does not read.`, 'Convert it to MONOCHROME2 or RGB (e.g. with dcmconv or gdcmconv).', { name: shown, photometric });
  }
}

/**
 * Stored values of a grey frame: masked to Bits Stored (bits above it may hold overlays or
 * garbage) and sign-extended when Pixel Representation is 1 (two's complement), then put through
 * the Modality LUT's rescale (value * slope + intercept). One pass; this is the hot loop for a
 * large radiograph.
 */
function storedValues(words: ArrayLike<number>, facts: DicomFacts, count: number, slope = 1, intercept = 0): Float32Array {
  const out = new Float32Array(count);
  const bits = facts.bitsStored;
  const rescale = slope !== 1 || intercept !== 0;
  if (bits >= 32) {
    for (let i = 0; i < count; i++) {
      const w = words[i]!;
      const v = facts.pixelRepresentation === 1 ? w | 0 : w >>> 0;
      out[i] = rescale ? v * slope + intercept : v;
    }
    return out;
  }
  const mask = 2 ** bits - 1;
  const shift = 32 - bits;
  if (facts.pixelRepresentation === 1) {
    if (rescale) for (let i = 0; i < count; i++) out[i] = (((words[i]! & mask) << shift) >> shift) * slope + intercept;
    else for (let i = 0; i < count; i++) out[i] = ((words[i]! & mask) << shift) >> shift;
  } else if (rescale) for (let i = 0; i < count; i++) out[i] = (words[i]! & mask) * slope + intercept;
  else for (let i = 0; i < count; i++) out[i] = words[i]! & mask;
  return out;
}

async function rawSamples(dataSet: DataSet, facts: DicomFacts, frame: number, shown: string): Promise<RawSamples> {
  checkSampleFormat(facts, shown);
  const encoding = pixelEncoding(facts.transferSyntaxUid);
  const planarByConfig = facts.samplesPerPixel === 3 && facts.planarConfiguration === 1;
  if (encoding === 'native') {
    // YBR_FULL_422 native data holds two samples per pixel (Y1 Y2 Cb Cr per pair of pixels).
    const stored = facts.photometric === 'YBR_FULL_422' && facts.samplesPerPixel === 3 ? 2 : facts.samplesPerPixel;
    const { bytes, bitOffset } = frameBytes(dataSet, facts, frame, shown, stored);
    const count = facts.rows * facts.columns * stored;
    return { words: nativeSamples(bytes, bitOffset, count, facts, facts.transferSyntaxUid === bigEndianTransferSyntax, shown), planar: planarByConfig, colourConverted: false };
  }
  if (encoding === 'unsupported') throw unsupported(facts, shown, 'Lumen has no decoder for it');
  const { bytes } = frameBytes(dataSet, facts, frame, shown);
  if (encoding === 'rle') {
    if (![8, 16, 32].includes(facts.bitsAllocated)) throw unsupported(facts, shown, `RLE with ${facts.bitsAllocated} bits allocated is not defined`);
    return { words: decodeRle(bytes, facts.rows * facts.columns, facts.samplesPerPixel, facts.bitsAllocated, shown), planar: true, colourConverted: false };
  }
  let output: CodecOutput;
  try {
    output = await decodeCompressed(encoding, bytes, facts, shown);
  } catch (error) {
    if (error instanceof LumenError) throw error;
    const detail = (error instanceof Error ? error.message : typeof error === 'number' ? `codec error ${error}` : String(error)).split('\n')[0]!.slice(0, 160);
    throw new LumenError('invalid-image', `"${shown}": the ${transferSyntaxName(facts.transferSyntaxUid)} pixel data could not be decoded (${detail}).`, 'The file may be damaged; export it again from its source, or decompress it with gdcmconv --raw.', { name: shown });
  }
  if (output.width === 0 || output.height === 0) {
    throw new LumenError('invalid-image', `"${shown}": the ${transferSyntaxName(facts.transferSyntaxUid)} pixel data decoded to no image.`, 'The file may be damaged; decompress it with gdcmconv --raw and open the result.', { name: shown });
  }
  if (output.width !== facts.columns || output.height !== facts.rows || output.components !== facts.samplesPerPixel) {
    throw new LumenError(
      'invalid-image',
      `"${shown}": its compressed pixel data is ${output.width} x ${output.height} x ${output.components} but its header says ${facts.columns} x ${facts.rows} x ${facts.samplesPerPixel}.`,
      'The file is damaged or inconsistent; export it again from its source.',
      { name: shown },
    );
  }
  return { words: output.samples, planar: false, colourConverted: true };
}

async function decodeCompressed(encoding: string, bytes: Uint8Array, facts: DicomFacts, shown: string): Promise<CodecOutput> {
  switch (encoding) {
    case 'jpeg-baseline':
    case 'jpeg-extended': {
      if (facts.bitsStored > 8 || precisionOf(bytes) > 8) {
        throw unsupported(facts, shown, `its ${Math.max(precisionOf(bytes), facts.bitsStored)}-bit JPEG (Process 4) data needs a 12-bit JPEG decoder, which Lumen does not include`);
      }
      // An RGB file whose JPEG does not say so would be converted by libjpeg as if it were YCbCr.
      const rgbUnmarked = facts.photometric === 'RGB' && facts.samplesPerPixel === 3 && libjpegGuessedYcbcr(bytes);
      return decodeWithWasm('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs', 'JPEGDecoder', rgbUnmarked ? withRgbComponentIds(bytes) : bytes);
    }
    case 'jpeg-lossless':
      return decodeJpegLossless(bytes, facts.bitsAllocated);
    case 'jpeg-ls':
      return decodeWithWasm('@cornerstonejs/codec-charls/decodewasmjs', 'JpegLSDecoder', bytes);
    case 'jpeg-2000':
      return decodeWithWasm('@cornerstonejs/codec-openjpeg/decodewasmjs', 'J2KDecoder', bytes);
    default:
      throw unsupported(facts, shown, 'Lumen has no decoder for it');
  }
}

/** Sample precision from a JPEG's start-of-frame marker (SOF0..SOF15 but DHT/JPG/DAC), 0 when none is found. */
function precisionOf(jpeg: Uint8Array): number {
  for (let i = 2; i + 4 < jpeg.length; ) {
    if (jpeg[i] !== 0xff) return 0;
    const marker = jpeg[i + 1]!;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return jpeg[i + 4]!;
    i += 2 + ((jpeg[i + 2]! << 8) | jpeg[i + 3]!);
  }
  return 0;
}

function unsupported(facts: DicomFacts, shown: string, why: string): LumenError {
  return new LumenError(
    'invalid-image',
    `"${shown}" uses ${transferSyntaxName(facts.transferSyntaxUid)}: ${why}.`,
    'Decompress it first (gdcmconv --raw in.dcm out.dcm, or dcmdjpeg/dcmdjp2k), then open the result.',
    { name: shown, transferSyntaxUid: facts.transferSyntaxUid },
  );
}
