import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import type { ResizePolicy } from '../../../../src/shared/model-card';
import { importFolder } from '../../../../src/main/engine/project/dataset-import';
import { ProjectStore } from '../../../../src/main/engine/project/project-store';
import { testApi } from '../../../helpers/engine';
import { blockCard, blockCases, blockLanding, blockModel, blockOriginal, landedRight } from '../../../helpers/known-block';
import { tempDir, writeModel } from '../../../helpers/tiny-models';

process.env['LUMEN_HOME'] = tempDir('lumen-home-');

/** The report's overlay PNG of the block model's gradient on a black image, decoded. */
async function reportPng(api: LumenApi, resize: ResizePolicy): Promise<{ data: Uint8Array; width: number; height: number }> {
  const path = writeModel(tempDir(), 'block.onnx', blockModel(), { 'block.card.json': blockCard(resize) });
  const modelId = (await api.call('models.open', { path })).id;
  const data = tempDir();
  mkdirSync(join(data, 'a'));
  writeFileSync(join(data, 'a', 'black.png'), await sharp({ create: { ...blockOriginal, channels: 3, background: '#000000' } }).png().toBuffer());
  const project = join(tempDir(), 'p');
  const store = ProjectStore.open(project, { create: true });
  try {
    await importFolder(store, 'd', data);
  } finally {
    store.close();
  }
  // The gradient of class 0 is the weight block; the report draws it in gray over the black image.
  const r = await api.call('report.render', { spec: { project, modelId, title: 't', images: [{ dataset: 'd', path: 'a/black.png', target: 0 }], methods: [{ method: 'gradient', params: {} }], colormap: 'gray' }, format: 'html' });
  const pngs = [...r.html!.matchAll(/data:image\/png;base64,([A-Za-z0-9+/=]+)/g)].map((m) => Buffer.from(m[1]!, 'base64'));
  for (const png of pngs) {
    const { data: px, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    if (info.width === blockOriginal.width && info.height === blockOriginal.height && px.some((b) => b > 0)) return { data: new Uint8Array(px), width: info.width, height: info.height };
  }
  throw new Error('the report has no overlay of the image');
}

describe("the report's overlay lands where the model looked (a gradient map that is 1 on a known block)", () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  beforeAll(() => ({ api, close } = testApi()));
  afterAll(() => close());

  it.each(blockCases)('%s', async (_, resize, landing) => {
    const out = await reportPng(api, resize);
    expect(blockLanding(out.data, out.width, out.height, landing)).toEqual(landedRight);
  });
});
