import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import type { ResizePolicy } from '../../../../src/shared/model-card';
import { importFolder } from '../../../../src/main/engine/project/dataset-import';
import { ProjectStore } from '../../../../src/main/engine/project/project-store';
import { testApi } from '../../../helpers/engine';
import { linearImageModel } from '../../../helpers/image-models';
import { tempDir, writeModel } from '../../../helpers/tiny-models';

process.env['LUMEN_HOME'] = tempDir('lumen-home-');

const N = 16;
// class 0's weight is 1 on input pixels u in [8, 12), v in [4, 8) of every channel: its gradient is that block.
const block = { u0: 8, u1: 12, v0: 4, v1: 8 };
function weights(): number[] {
  const w: number[] = [];
  for (let c = 0; c < 3; c++) for (let v = 0; v < N; v++) for (let u = 0; u < N; u++) {
    const inside = u >= block.u0 && u < block.u1 && v >= block.v0 && v < block.v1;
    w.push(inside ? 1 : 0, 0);
  }
  return w;
}

async function reportPng(api: LumenApi, resize: ResizePolicy, image: { width: number; height: number }): Promise<{ data: Buffer; width: number; height: number }> {
  const dir = tempDir();
  const path = writeModel(dir, 'block.onnx', linearImageModel(weights(), [0, 0], [3, N, N]), {
    'block.card.json': JSON.stringify({ preprocess: { resize, mean: [0], std: [1], scale: 1 } }),
  });
  const modelId = (await api.call('models.open', { path })).id;
  const data = tempDir();
  mkdirSync(join(data, 'a'));
  writeFileSync(join(data, 'a', 'black.png'), await sharp({ create: { width: image.width, height: image.height, channels: 3, background: '#000000' } }).png().toBuffer());
  const project = join(tempDir(), 'p');
  const store = ProjectStore.open(project, { create: true });
  try { await importFolder(store, 'd', data); } finally { store.close(); }
  // The gradient of class 0 is the weight block; the report draws it in gray over a black image.
  const r = await api.call('report.render', { spec: { project, modelId, title: 't', images: [{ dataset: 'd', path: 'a/black.png', target: 0 }], methods: [{ method: 'gradient', params: {} }], colormap: 'gray' }, format: 'html' });
  const pngs = [...r.html!.matchAll(/data:image\/png;base64,([A-Za-z0-9+/=]+)/g)].map((m) => Buffer.from(m[1]!, 'base64'));
  for (const png of pngs) {
    const { data: px, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    if (info.width === image.width && info.height === image.height && px.some((b) => b > 0)) return { data: px, width: info.width, height: info.height };
  }
  throw new Error('no overlay');
}

/**
 * Worked by hand for a 512 x 384 image and a 16 x 16 input, block u 8..12, v 4..8 (`s`: original
 * pixels per input pixel):
 * - stretch: s = 32 x 24: x [256, 384), y [96, 192);
 * - center-crop 0.875: the square 384 x 0.875 = 336 at (88, 24), s = 21: x [256, 340), y [108, 192)
 *   (stretched over the whole image it would be x [256, 384), y [96, 192));
 * - letterbox: s = 32, the image in input rows 2..14: x [256, 384), y [64, 192).
 */
const cases: Array<[string, ResizePolicy, { x0: number; x1: number; y0: number; y1: number; sx: number; sy: number }]> = [
  ['stretch', { mode: 'stretch' }, { x0: 256, x1: 384, y0: 96, y1: 192, sx: 32, sy: 24 }],
  ['center-crop 0.875', { mode: 'center-crop', cropFraction: 0.875 }, { x0: 256, x1: 340, y0: 108, y1: 192, sx: 21, sy: 21 }],
  ['letterbox', { mode: 'letterbox', fill: 0 }, { x0: 256, x1: 384, y0: 64, y1: 192, sx: 32, sy: 32 }],
];

describe("the report's overlay lands where the model looked (a gradient map that is 1 on a known block)", () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  beforeAll(() => ({ api, close } = testApi()));
  afterAll(() => close());

  it.each(cases)('%s', async (_, resize, b) => {
    const out = await reportPng(api, resize, { width: 512, height: 384 });
    const at = (x: number, y: number): number => out.data[(y * out.width + x) * 3]!;
    let full = 0;
    for (let i = 0; i < out.data.length; i += 3) full = Math.max(full, out.data[i]!);
    // Map pixels are smoothed between their centres, so the map ramps over one input pixel at each
    // edge: full inside the block less half an input pixel, black outside it plus half a pixel.
    const inner = { x0: Math.ceil(b.x0 + b.sx / 2), x1: Math.floor(b.x1 - b.sx / 2), y0: Math.ceil(b.y0 + b.sy / 2), y1: Math.floor(b.y1 - b.sy / 2) };
    const outer = { x0: Math.floor(b.x0 - b.sx / 2), x1: Math.ceil(b.x1 + b.sx / 2), y0: Math.floor(b.y0 - b.sy / 2), y1: Math.ceil(b.y1 + b.sy / 2) };
    let notFull = 0;
    let notBlack = 0;
    let sum = 0;
    let cx = 0;
    let cy = 0;
    for (let y = 0; y < out.height; y++) {
      for (let x = 0; x < out.width; x++) {
        const v = at(x, y);
        if (x >= inner.x0 && x < inner.x1 && y >= inner.y0 && y < inner.y1 && v !== full) notFull++;
        if ((x < outer.x0 || x >= outer.x1 || y < outer.y0 || y >= outer.y1) && v !== 0) notBlack++;
        sum += v;
        cx += v * (x + 0.5);
        cy += v * (y + 0.5);
      }
    }
    expect(full).toBeGreaterThan(100);
    expect({ notFull, notBlack }).toEqual({ notFull: 0, notBlack: 0 });
    // The ramps are symmetric about the block's edges: the highlight is centred on the block.
    expect(Math.abs(cx / sum - (b.x0 + b.x1) / 2)).toBeLessThan(0.5);
    expect(Math.abs(cy / sum - (b.y0 + b.y1) / 2)).toBeLessThan(0.5);
  });
});
