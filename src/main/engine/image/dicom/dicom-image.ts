import { LumenError } from '../../../../shared/errors';
import { oneLine } from '../../io/one-line';
import { applyWindow, type VoiChoice, type VoiFunction } from './apply-window';
import { decodeParsedFrame } from './decode-dicom-frame';
import type { DicomFacts, DicomFrame } from './dicom-types';
import { parseDataSet, readingDicom } from './parse-data-set';
import { factsOf } from './read-dicom-facts';

/**
 * An opened DICOM image: its facts, the decoded frame (modality values) and that frame rendered
 * through a VOI window to 16-bit display-ready values, which is what the rest of the engine
 * (resampling, previews, reports) reads in place of an encoded image.
 */
export interface DicomImage {
  facts: DicomFacts;
  frame: DicomFrame;
  /** The VOI transform `pixels` were rendered with. */
  window: VoiChoice;
  voiFunction?: VoiFunction;
  /** Display-ready values (0 black .. 65535 white, MONOCHROME1 already inverted), interleaved height x width x channels. */
  pixels: Uint16Array;
  /** What the user should know about how the image was read (which frame, which window), one sentence each. */
  notes: string[];
}

export interface DicomOpenOptions {
  /** 0-based frame; a multi-frame file opens its first frame, with a note, when none is chosen. */
  frame?: number;
  /** The VOI transform; the file's own by default ('file': first preset, else VOI LUT, else full range). */
  window?: VoiChoice;
  voiFunction?: VoiFunction;
  maxPixels?: number;
}

/**
 * Reads, decodes and renders one frame of a DICOM file. Multi-frame files (a CT or MR volume, a
 * cine loop) open on frame 1 when no frame is chosen, with a note saying so; Lumen explains 2-D
 * images, one frame at a time. A VOI LUT that cannot be used falls back to the full range of the
 * frame's values, also with a note, so the image still opens and nothing is hidden.
 */
export async function openDicomImage(bytes: Uint8Array, name: string, options: DicomOpenOptions = {}): Promise<DicomImage> {
  const { dataSet, transferSyntaxUid } = parseDataSet(bytes, name);
  const facts = readingDicom(name, bytes, () => factsOf(dataSet, transferSyntaxUid, name));
  const pixels = facts.rows * facts.columns;
  if (options.maxPixels !== undefined && pixels > options.maxPixels) {
    throw new LumenError(
      'image-too-large',
      `"${oneLine(name)}" is ${facts.columns} x ${facts.rows} pixels (${(pixels / 1e6).toFixed(0)} MP), above Lumen's limit of ${(options.maxPixels / 1e6).toFixed(0)} MP.`,
      'Downscale or crop the image to the region of interest first.',
    );
  }
  const notes: string[] = [];
  if (facts.frames > 1 && options.frame === undefined) {
    notes.push(`"${oneLine(name)}" holds ${facts.frames} frames (a volume or a series of images); Lumen opened frame 1. Choose another frame to explain it.`);
  }
  const frame = await decodeParsedFrame(dataSet, facts, options.frame ?? 0, name);
  return render(frame, options.window ?? 'file', options.voiFunction, notes);
}

/** The same frame through another VOI window (a preset, a fixed centre/width, the full range, a VOI LUT). */
export function rewindow(image: DicomImage, window: VoiChoice, voiFunction?: VoiFunction): DicomImage {
  return render(image.frame, window, voiFunction, image.notes.filter((n) => !n.startsWith('Window:')));
}

function render(frame: DicomFrame, window: VoiChoice, voiFunction: VoiFunction | undefined, notes: string[]): DicomImage {
  let chosen = window;
  let pixels: Uint16Array;
  try {
    pixels = applyWindow(frame, window, voiFunction);
  } catch (error) {
    // Only the file's own broken VOI LUT falls back; a window the caller asked for must be valid.
    if (window !== 'file' || !frame.facts.voiLutProblem) throw error;
    chosen = 'full-range';
    pixels = applyWindow(frame, chosen);
    notes = [...notes, `Window: the file's VOI LUT cannot be used (${frame.facts.voiLutProblem}); the image is shown over its full range of values.`];
  }
  const image: DicomImage = { facts: frame.facts, frame, window: chosen, pixels, notes };
  if (voiFunction) image.voiFunction = voiFunction;
  return image;
}
