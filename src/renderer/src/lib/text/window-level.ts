import { formatWindowValue } from '../viewer/window-level';

/** Every user-visible string of the inspector's window/level, frame picker and scale bar. */
export const windowLevelText = {
  groupLabel: 'Window / level',
  presetLabel: 'Window preset',
  presetPlaceholder: 'Presets…',
  center: 'Centre',
  width: 'Width',
  mode: 'W/L drag',
  modeTitle: 'Left-drag changes the window instead of panning (right or middle drag always does)',
  reset: 'Reset',
  resetTitle: "Back to the file's window (or the full range when it has none)",
  frame: 'Frame',
  frameOf: (n: number) => `of ${n}`,
  readout: (center: number, width: number, unit: string) => `C ${formatWindowValue(center)} / W ${formatWindowValue(width)}${unit ? ` ${unit}` : ''}`,
  fileLut: "File's VOI LUT",
  pixelValue: (value: number, unit: string) => `pixel ${Number(value.toPrecision(4))}${unit ? ` ${unit}` : ''}`,
  modelFrame: (frame: number) => `The model sees frame ${frame}, the one the image was opened with.`,
  useFrame: (frame: number) => `Explain frame ${frame}`,
  useFrameTitle: 'Give the model this frame instead (explanations are computed again for it)',
  displayOnly: (modelSees: string) => `Display only: the model sees ${modelSees}.`,
  help: 'Drag with the right or middle button (or turn on W/L drag): horizontal = width, vertical = centre.',
  loading: 'Reading the modality values…',
  canvasLabel: (name: string) => `${name}, windowed`,
  scaleBar: (length: string, source: 'PixelSpacing' | 'ImagerPixelSpacing') =>
    `${length} · ${source === 'PixelSpacing' ? 'Pixel Spacing (patient plane)' : 'Imager Pixel Spacing (at the detector, not corrected for magnification)'}`,
  scaleBarShort: (source: 'PixelSpacing' | 'ImagerPixelSpacing') => (source === 'PixelSpacing' ? 'Pixel Spacing' : 'Imager Pixel Spacing'),
};
