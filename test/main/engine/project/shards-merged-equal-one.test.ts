import { join } from 'node:path';
import Database from 'libsql';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditParams } from '../../../../src/shared/contract/audit';
import { OpenModelParams } from '../../../../src/shared/contract/requests';
import { Engine } from '../../../../src/main/engine/engine';
import { runAudit } from '../../../../src/main/engine/project/audit-job';
import { importFolder } from '../../../../src/main/engine/project/dataset-import';
import { JobControls } from '../../../../src/main/engine/project/job-controls';
import { closeKeptProjects } from '../../../../src/main/engine/project/open-project-cache';
import { ProjectStore } from '../../../../src/main/engine/project/project-store';
import { mergeShards } from '../../../../src/main/engine/project/shards';
import type { LoadedModel } from '../../../../src/main/engine/model/model-registry';
import { tempDir } from '../../../helpers/tiny-models';

process.env['LUMEN_HOME'] = tempDir('lumen-home-');

const imageCount = 32;
const shardCount = 4;

/** `imageCount` distinct small PNGs in two label folders. */
async function images(): Promise<string> {
  const dir = tempDir('lumen-shard-equal-images-');
  for (let k = 0; k < imageCount; k++) {
    const pixels = Buffer.alloc(16 * 16 * 3);
    for (let p = 0; p < pixels.length; p++) pixels[p] = (p * (k + 5) + 17 * k) % 256;
    await sharp(pixels, { raw: { width: 16, height: 16, channels: 3 } }).png().toFile(join(dir, `${k}.png`));
  }
  return dir;
}

async function project(data: string): Promise<string> {
  const folder = join(tempDir(), 'study');
  const store = ProjectStore.open(folder, { create: true });
  await importFolder(store, 'set', data);
  store.close();
  return folder;
}

/** Every stored result as the merge must reproduce it: image, class, score, metrics. */
function results(folder: string): Array<Record<string, unknown>> {
  const db = new Database(join(folder, 'project.db'), { readonly: true });
  try {
    return (db.prepare('SELECT image_id, target, score, metrics FROM results ORDER BY image_id').all() as Array<Record<string, unknown>>).map(({ image_id, target, score, metrics }) => ({ image_id, target, score, metrics }));
  } finally {
    db.close();
  }
}

describe('a sharded audit merged', () => {
  let engine: Engine;
  let model: LoadedModel;
  const services = () => ({ attributions: engine.attributions, evaluations: engine.evaluations, jobs: new JobControls() });
  const audit = (folder: string, shard?: string) => runAudit(services(), { ...AuditParams.parse({ project: folder, dataset: 'set', modelId: model.id, method: 'gradient', ...(shard ? { shard } : {}) }), model });

  beforeAll(async () => {
    engine = new Engine({ graphCacheDir: null });
    const summary = await engine.handlers['models.open'](OpenModelParams.parse({}), { requestId: 'test', signal: new AbortController().signal });
    model = engine.models.get(summary.id);
  }, 120_000);

  it(`equals one process: ${imageCount} images in ${shardCount} shards (the same audit code), merged`, async () => {
    const data = await images();
    const one = await project(data);
    const sharded = await project(data);
    const single = await audit(one);
    expect(single.computed).toBe(imageCount);
    for (let k = 1; k <= shardCount; k++) expect((await audit(sharded, `${k}/${shardCount}`)).computed).toBe(imageCount / shardCount);
    // A shard audited again resumes: its results survive making the shard again, nothing is recomputed.
    expect(await audit(sharded, `2/${shardCount}`)).toMatchObject({ computed: 0, resumed: imageCount / shardCount });
    expect(await mergeShards(sharded)).toEqual({ shards: shardCount, added: imageCount, unchanged: 0 });
    closeKeptProjects();
    const merged = results(sharded);
    expect(merged).toHaveLength(imageCount);
    expect(merged).toEqual(results(one));
    // The merged project's own audit finds every result.
    expect(await audit(sharded)).toMatchObject({ computed: 0, resumed: imageCount });
  }, 300_000);
});
