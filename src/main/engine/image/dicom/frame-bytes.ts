import dicomParser, { type DataSet, type Element } from 'dicom-parser';
import { LumenError } from '../../../../shared/errors';
import { oneLine } from '../../io/one-line';
import type { DicomFacts } from './dicom-types';

/**
 * The encoded bytes of one frame. Native pixel data is sliced by frame size (bits allocated 1 is
 * packed across frames, so a frame may start mid-byte: `bitOffset` says where; YBR_FULL_422 stores two samples per pixel,
 * hence `samplesPerPixel`). Encapsulated
 * pixel data is split by the Basic Offset Table, else one fragment per frame when the counts
 * match, else (one frame) all fragments joined.
 */
export function frameBytes(dataSet: DataSet, facts: DicomFacts, frame: number, name: string, samplesPerPixel: number = facts.samplesPerPixel): { bytes: Uint8Array; bitOffset: number } {
  const element = dataSet.elements.x7fe00010!;
  const shown = oneLine(name);
  if (frame < 0 || frame >= facts.frames || !Number.isInteger(frame)) {
    throw new LumenError('invalid-argument', `"${shown}" has ${facts.frames} frame${facts.frames === 1 ? '' : 's'}; frame ${frame + 1} does not exist.`, `Choose a frame from 1 to ${facts.frames}.`, { name, frames: facts.frames });
  }
  if (element.encapsulatedPixelData) return { bytes: encapsulatedFrame(dataSet, element, facts, frame, shown), bitOffset: 0 };
  const pixels = facts.rows * facts.columns * samplesPerPixel;
  const frameBits = pixels * facts.bitsAllocated;
  const startBit = frame * frameBits;
  const start = element.dataOffset + Math.floor(startBit / 8);
  const end = element.dataOffset + Math.ceil((startBit + frameBits) / 8);
  const available = dataSet.byteArray.length;
  if (end > available || (element.length !== 0xffffffff && Math.ceil(((frame + 1) * frameBits) / 8) > element.length)) {
    throw new LumenError(
      'invalid-image',
      `"${shown}" is cut short: frame ${frame + 1} needs ${Math.ceil(frameBits / 8)} bytes of pixel data but the file ends before them.`,
      'Copy or export the file again from its source.',
      { name },
    );
  }
  return { bytes: dataSet.byteArray.subarray(start, end), bitOffset: startBit % 8 };
}

function encapsulatedFrame(dataSet: DataSet, element: Element, facts: DicomFacts, frame: number, shown: string): Uint8Array {
  const fragments = element.fragments ?? [];
  if (fragments.length === 0) throw new LumenError('invalid-image', `"${shown}" has compressed pixel data with no fragments.`, 'The file is damaged; export it again from its source.');
  try {
    if (facts.frames === 1) return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, element, 0, fragments.length);
    if ((element.basicOffsetTable ?? []).length > 0) return dicomParser.readEncapsulatedImageFrame(dataSet, element, frame);
    if (fragments.length === facts.frames) return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, element, frame, 1);
    const table = dicomParser.createJPEGBasicOffsetTable(dataSet, element);
    return dicomParser.readEncapsulatedImageFrame(dataSet, element, frame, table);
  } catch (error) {
    const detail = (error instanceof Error ? error.message : String(error)).replace(/^dicomParser\.\w+: /, '').slice(0, 160);
    throw new LumenError('invalid-image', `"${shown}": frame ${frame + 1} of the compressed pixel data cannot be located (${detail}).`, 'The file is damaged; export it again from its source.');
  }
}
