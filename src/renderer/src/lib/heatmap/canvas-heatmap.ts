/**
 * The Canvas 2D backend: colours the map on the CPU into one ImageData (colorize.ts) and puts it
 * on the canvas. Used when WebGL2 is unavailable (some headless or GPU-blocklisted setups). The
 * ImageData and the packed LUT are allocated once per map size and reused on every draw, so a
 * display change allocates nothing: about 1-2 ms for 512 x 512 in all.
 */
import type { DrawState, HeatmapBackend } from './backend';
import { colorize } from './colorize';
import { LUT_SIZE } from './colormaps';

/** The part of CanvasRenderingContext2D used here (a test can pass a stand-in). */
export type Context2d = Pick<CanvasRenderingContext2D, 'createImageData' | 'putImageData'>;

export function createCanvasBackend(context: Context2d): HeatmapBackend {
  let map: Float32Array | null = null;
  let image: ImageData | null = null;
  const packed = new Uint32Array(LUT_SIZE);

  return {
    kind: 'canvas2d',
    setMap(data, width, height) {
      map = data;
      if (!image || image.width !== width || image.height !== height) image = context.createImageData(width, height);
    },
    draw(state: DrawState) {
      if (!map || !image) return;
      colorize(map, state, image.data, packed);
      context.putImageData(image, 0, 0);
    },
    dispose() {
      map = null;
      image = null;
    },
  };
}
