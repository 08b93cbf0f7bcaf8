/**
 * What the heat-map renderer asks of a drawing backend (WebGL2 or Canvas 2D). The renderer owns
 * the state (map, display settings) and hands the backend the already-resolved numbers; a backend
 * keeps whatever it uploaded and only re-uploads what changed by identity (a new LUT array, a new
 * mask), so a display change is cheap.
 */
import type { UnitTransform } from './normalise';
import type { RegionMask } from './xrai-mask';

export type HeatmapBackendKind = 'webgl2' | 'canvas2d';

export interface DrawState {
  /** 256 RGB triples; the same array object for the same colormap (used as the cache key). */
  readonly lut: Uint8Array;
  readonly transform: UnitTransform;
  readonly opacity: number;
  readonly mask: RegionMask | null;
  readonly outsideOpacity: number;
}

export interface HeatmapBackend {
  readonly kind: HeatmapBackendKind;
  /** Takes a finite map (the renderer has replaced NaN and infinities) of width x height values. */
  setMap(map: Float32Array, width: number, height: number): void;
  draw(state: DrawState): void;
  dispose(): void;
}
