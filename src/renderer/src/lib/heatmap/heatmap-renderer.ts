/**
 * Draws an attribution map onto a canvas from its raw float values, entirely in the renderer: a
 * display change (colormap, range, opacity, XRAI threshold) never goes back to the engine.
 *
 * The canvas gets one pixel per map value (CSS scales it onto the image), and WebGL2 does the
 * colouring where it runs; otherwise Canvas 2D does it on the CPU with the same rule
 * (colorize.ts), so both look the same. A WebGL2 context that exists but cannot run the shaders
 * (old or blocklisted drivers) is detected on a throwaway canvas first, because a canvas that once
 * handed out a WebGL context can never give a 2D one.
 */
import type { DrawState, HeatmapBackend, HeatmapBackendKind } from './backend';
import { createCanvasBackend } from './canvas-heatmap';
import { resolveColormap, type Colormap } from './colormaps';
import { rangeForColormap, unitTransform, type RangeLike } from './normalise';
import { createWebglBackend, webglContextAttributes } from './webgl-heatmap';
import type { RegionMask } from './xrai-mask';

export type { HeatmapBackendKind } from './backend';

export interface DisplaySettings {
  /** A colormap or its id (an unknown id draws with viridis rather than failing). */
  colormap: string | Colormap;
  /**
   * The normalisation range (normalise.ts). A diverging colormap centres it on 0 (rangeForColormap);
   * the colour bar applies the same rule.
   */
  range: RangeLike;
  /** Alpha of the heat map over the image, 0..1. */
  opacity: number;
  /** Show only these pixels (XRAI top regions); null or absent shows all. */
  mask?: RegionMask | null;
  /** Alpha of a black veil over the pixels outside the mask, 0..1; default 0 (image unchanged). */
  outsideOpacity?: number;
}

export interface HeatmapRenderer {
  readonly backend: HeatmapBackendKind;
  /** Size of the current map (0 before setMap). */
  readonly width: number;
  readonly height: number;
  /** NaN and infinite values in the current map: drawn as 0, reported so the UI can say so. */
  readonly nonFinite: number;
  /** Uploads a map (row-major, width x height). The only call that moves the map's data. */
  setMap(data: Float32Array, width: number, height: number): void;
  /** Changes how the map is shown; takes effect at the next draw(). Cheap: no upload of the map. */
  setDisplay(settings: DisplaySettings): void;
  /** Draws the current map with the current display; returns the time taken in ms. */
  draw(): number;
  /** The raw value at map pixel (x, y) (floored), or null outside the map or before setMap. */
  sampleAt(x: number, y: number): number | null;
  dispose(): void;
}

export interface RendererOptions {
  /** Force a backend; `auto` (default) takes WebGL2 when it works. */
  backend?: 'auto' | HeatmapBackendKind;
  /** Called when a lost WebGL context has been restored and the renderer needs a draw(). */
  onRestored?: () => void;
}

let webglWorks: boolean | undefined;

/** Whether WebGL2 can create and run the heat-map shaders here; probed once per page. */
export function webgl2Available(): boolean {
  if (webglWorks !== undefined) return webglWorks;
  webglWorks = false;
  if (typeof document === 'undefined') return webglWorks;
  const probe = document.createElement('canvas');
  const gl = probe.getContext('webgl2', webglContextAttributes);
  if (!gl) return webglWorks;
  try {
    createWebglBackend(gl).dispose();
    webglWorks = true;
  } catch {
    webglWorks = false;
  }
  // Browsers cap live WebGL contexts; free the probe's now rather than at garbage collection.
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return webglWorks;
}

/**
 * Runs the WebGL2 probe while the page is idle (a view that will draw maps calls it when it
 * appears), so that the first overlay does not wait for a throwaway context and its shaders: with
 * a software rasteriser that is a few hundred milliseconds.
 */
export function probeWebgl2WhenIdle(): void {
  if (webglWorks !== undefined || typeof window === 'undefined') return;
  const probe = (): void => void webgl2Available();
  if (typeof window.requestIdleCallback === 'function') window.requestIdleCallback(probe, { timeout: 1000 });
  else setTimeout(probe, 0);
}

/** The part of HTMLCanvasElement the renderer uses (a test can pass a stand-in). */
export type CanvasLike = Pick<HTMLCanvasElement, 'width' | 'height' | 'getContext'>;

export function createHeatmapRenderer(canvas: CanvasLike, options: RendererOptions = {}): HeatmapRenderer {
  const wanted = options.backend ?? 'auto';
  let backend: HeatmapBackend | null = null;
  if (wanted === 'webgl2' || (wanted === 'auto' && webgl2Available())) {
    const gl = canvas.getContext('webgl2', webglContextAttributes) as WebGL2RenderingContext | null;
    if (gl) backend = createWebglBackend(gl, () => options.onRestored?.());
    else if (wanted === 'webgl2') throw new Error('WebGL2 is not available on this canvas');
  }
  if (!backend) {
    const context = canvas.getContext('2d') as CanvasRenderingContext2D | null;
    if (!context) throw new Error('neither WebGL2 nor a 2D context is available on this canvas');
    backend = createCanvasBackend(context);
  }
  const drawer: HeatmapBackend = backend;

  let raw: Float32Array | null = null;
  let width = 0;
  let height = 0;
  let nonFinite = 0;
  let state: DrawState | null = null;

  return {
    backend: drawer.kind,
    get width() {
      return width;
    },
    get height() {
      return height;
    },
    get nonFinite() {
      return nonFinite;
    },
    setMap(data, w, h) {
      if (!(Number.isSafeInteger(w) && Number.isSafeInteger(h) && w > 0 && h > 0) || data.length !== w * h) {
        throw new RangeError(`a ${w} x ${h} heat map needs ${w * h} values, not ${data.length}`);
      }
      const finite = sanitise(data);
      raw = data;
      nonFinite = finite.replaced;
      width = w;
      height = h;
      if (canvas.width !== w) canvas.width = w;
      if (canvas.height !== h) canvas.height = h;
      drawer.setMap(finite.data, w, h);
      // A mask belongs to one map; one of another size must not outlive it (the next setDisplay
      // brings the new map's mask).
      if (state?.mask && state.mask.ranks.length !== w * h) state = { ...state, mask: null };
    },
    setDisplay(settings) {
      const colormap = typeof settings.colormap === 'string' ? resolveColormap(settings.colormap) : settings.colormap;
      const mask = settings.mask ?? null;
      if (mask && mask.ranks.length !== width * height && width * height > 0) {
        throw new RangeError(`the mask covers ${mask.ranks.length} pixels, the map ${width * height}`);
      }
      state = {
        lut: colormap.lut,
        transform: unitTransform(rangeForColormap(settings.range, colormap.kind)),
        opacity: settings.opacity,
        mask,
        outsideOpacity: settings.outsideOpacity ?? 0,
      };
    },
    draw() {
      const start = performance.now();
      if (raw && state) drawer.draw(state);
      return performance.now() - start;
    },
    sampleAt(x, y) {
      if (!raw) return null;
      const col = Math.floor(x);
      const row = Math.floor(y);
      if (!(col >= 0 && col < width && row >= 0 && row < height)) return null;
      return raw[row * width + col]!;
    },
    dispose() {
      drawer.dispose();
      raw = null;
      state = null;
    },
  };
}

/**
 * The map with NaN and infinities replaced by 0 (the engine's rule), or the map itself when it has
 * none (the usual case: no copy).
 */
function sanitise(data: Float32Array): { data: Float32Array; replaced: number } {
  let replaced = 0;
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) replaced++;
  if (replaced === 0) return { data, replaced };
  const copy = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) copy[i] = Number.isFinite(data[i]!) ? data[i]! : 0;
  return { data: copy, replaced };
}
