/** The heat-map display library: what the screens import. */
export { colormaps, colormapIds, colormapsOfKind, getColormap, resolveColormap, isColormapId, defaultColormap, LUT_SIZE, type Colormap, type ColormapId, type ColormapKind } from './colormaps';
export {
  displayRange,
  sharedDisplayRange,
  rangeForColormap,
  unitTransform,
  hasNegative,
  normaliseModes,
  DEFAULT_PERCENTILE,
  type DisplayRange,
  type RangeLike,
  type NormaliseMode,
  type NormaliseOptions,
} from './normalise';
export { reduceChannels, heatmapOf, mapGeometry, channelReductions, type ChannelReduction, type HeatMap, type Layout } from './reduce-channels';
export {
  selectXraiRegions,
  maskPixels,
  binaryMask,
  insideMask,
  XRAI_MIN_THRESHOLD,
  XRAI_MAX_THRESHOLD,
  type RegionMask,
  type XraiRegions,
  type XraiSelection,
} from './xrai-mask';
export { createHeatmapRenderer, webgl2Available, type HeatmapRenderer, type DisplaySettings, type RendererOptions, type HeatmapBackendKind } from './heatmap-renderer';
export { difference, type MapDifference } from './difference';
export { colorbarTicks, formatValue, type Tick } from './ticks';
