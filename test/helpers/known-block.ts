import type { Model } from '../../src/main/engine/onnx/ir';
import type { ResizePolicy } from '../../src/shared/model-card';
import { linearImageModel } from './image-models';

/**
 * A linear RGB model on a 16 x 16 input whose class 0 has weight 1 on input pixels u in [8, 12),
 * v in [4, 8) and 0 elsewhere: its gradient map is that block, a map whose position is known.
 */
export const blockInput = 16;
export const block = { u0: 8, u1: 12, v0: 4, v1: 8 };

export function blockModel(): Model {
  const w: number[] = [];
  for (let c = 0; c < 3; c++) {
    for (let v = 0; v < blockInput; v++) {
      for (let u = 0; u < blockInput; u++) {
        const inside = u >= block.u0 && u < block.u1 && v >= block.v0 && v < block.v1;
        w.push(inside ? 1 : 0, 0);
      }
    }
  }
  return linearImageModel(w, [0, 0], [3, blockInput, blockInput]);
}

/** The card of the block model: the given resize, tensors as they are. */
export const blockCard = (resize: ResizePolicy): string => JSON.stringify({ preprocess: { resize, mean: [0], std: [1], scale: 1 } });

/** Where the block lands on a 512 x 384 original (s: original pixels per input pixel). */
export interface Landing {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  sx: number;
  sy: number;
}

/**
 * Worked by hand for a 512 x 384 image and the 16 x 16 input:
 * - stretch: s = 32 x 24: x [256, 384), y [96, 192);
 * - center-crop 0.875: the square 384 x 0.875 = 336 at (88, 24), s = 21: x [256, 340), y [108, 192)
 *   (stretched over the whole image it would be x [256, 384), y [96, 192));
 * - letterbox: s = 32, the image in input rows 2..14: x [256, 384), y [64, 192).
 */
export const blockOriginal = { width: 512, height: 384 };
export const blockCases: Array<[string, ResizePolicy, Landing]> = [
  ['stretch', { mode: 'stretch' }, { x0: 256, x1: 384, y0: 96, y1: 192, sx: 32, sy: 24 }],
  ['center-crop 0.875', { mode: 'center-crop', cropFraction: 0.875 }, { x0: 256, x1: 340, y0: 108, y1: 192, sx: 21, sy: 21 }],
  ['letterbox', { mode: 'letterbox', fill: 0 }, { x0: 256, x1: 384, y0: 64, y1: 192, sx: 32, sy: 32 }],
];

/**
 * Checks an overlay drawn in gray over a black image: map pixels are smoothed between their
 * centres, so the map ramps over one input pixel at each edge; full brightness inside the block
 * less half an input pixel, black outside it plus half a pixel, and the highlight centred on the
 * block (the ramps are symmetric about its edges). Returns what differs, for one toEqual.
 */
export function blockLanding(rgb: Uint8Array, width: number, height: number, b: Landing): { notFull: number; notBlack: number; centreOffBy: { x: number; y: number }; bright: boolean } {
  const at = (x: number, y: number): number => rgb[(y * width + x) * 3]!;
  let full = 0;
  for (let i = 0; i < rgb.length; i += 3) full = Math.max(full, rgb[i]!);
  const inner = { x0: Math.ceil(b.x0 + b.sx / 2), x1: Math.floor(b.x1 - b.sx / 2), y0: Math.ceil(b.y0 + b.sy / 2), y1: Math.floor(b.y1 - b.sy / 2) };
  const outer = { x0: Math.floor(b.x0 - b.sx / 2), x1: Math.ceil(b.x1 + b.sx / 2), y0: Math.floor(b.y0 - b.sy / 2), y1: Math.ceil(b.y1 + b.sy / 2) };
  let notFull = 0;
  let notBlack = 0;
  let sum = 0;
  let cx = 0;
  let cy = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = at(x, y);
      if (x >= inner.x0 && x < inner.x1 && y >= inner.y0 && y < inner.y1 && v !== full) notFull++;
      if ((x < outer.x0 || x >= outer.x1 || y < outer.y0 || y >= outer.y1) && v !== 0) notBlack++;
      sum += v;
      cx += v * (x + 0.5);
      cy += v * (y + 0.5);
    }
  }
  const off = (v: number): number => (Math.abs(v) < 0.5 ? 0 : Math.round(v * 10) / 10);
  return { notFull, notBlack, centreOffBy: { x: off(cx / sum - (b.x0 + b.x1) / 2), y: off(cy / sum - (b.y0 + b.y1) / 2) }, bright: full > 100 };
}

/** What blockLanding returns for an overlay in the right place. */
export const landedRight = { notFull: 0, notBlack: 0, centreOffBy: { x: 0, y: 0 }, bright: true };
