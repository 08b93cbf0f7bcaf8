import { colormapLabels } from '../../../../shared/heatmap/colormaps';

/** Every user-visible string of the heat-map display (layers, colour bars, colormap pickers). */
export const heatmapText = {
  colormaps: colormapLabels,
  colormapKinds: {
    sequential: 'Sequential',
    diverging: 'Diverging',
  },
  normaliseModes: {
    absolute: 'Magnitude |v|',
    signed: 'Signed (±)',
    positive: 'Positive only',
  },
  channelReductions: {
    sum: 'Sum over channels (keeps sign)',
    'sum-abs': 'Sum of |v| over channels',
    'max-abs': 'Largest |v| over channels',
    l2: 'L2 norm over channels',
  },
  percentile: (p: number) => (p >= 100 ? 'Scaled to the maximum' : `Scaled to the ${p}th percentile`),
  layerLabel: (colormap: string) => `Attribution heat map, ${colormap} colormap`,
  colorbarLabel: (colormap: string, min: string, max: string, unit: string) =>
    `Colour scale (${colormap}) from ${min} to ${max}${unit ? ` ${unit}` : ''}`,
  /** The colour bar's caption when it shows magnitudes (normalisation mode `absolute`). */
  magnitudeOf: (unit: string) => `|${unit}|`,
  /** The cursor readout under the pointer: map pixel and its raw value. */
  readout: (x: number, y: number, value: string) => `(${x}, ${y}) ${value}`,
  xraiArea: (fraction: string, regions: number) => `${fraction} of the image in ${regions} ${regions === 1 ? 'region' : 'regions'}`,
  difference: (a: string, b: string) => `${a} − ${b}`,
  nonFinite: (count: number) => `${count} ${count === 1 ? 'value is' : 'values are'} not a number and shown as 0`,
} as const;
