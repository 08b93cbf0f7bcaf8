import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { importFolder } from '../../../../src/main/engine/project/dataset-import';
import { ProjectStore } from '../../../../src/main/engine/project/project-store';
import { mergeShards, openShard } from '../../../../src/main/engine/project/shards';
import { tempDir } from '../../../helpers/tiny-models';

/** A shard whose database names its one result's map `artifact` (as a hand-edited or hostile one might). */
async function projectWithShard(artifact: string): Promise<{ project: string; shardArtifacts: string }> {
  const images = tempDir('lumen-shard-images-');
  await sharp(Buffer.alloc(16, 7), { raw: { width: 4, height: 4, channels: 1 } }).png().toFile(join(images, 'a.png'));
  const project = join(tempDir(), 'p');
  const main = ProjectStore.open(project, { create: true });
  await importFolder(main, 'set', images);
  main.close();
  const shard = openShard(project, 'set', { index: 1, count: 1 }, undefined);
  const imageId = (shard.db.prepare('SELECT id FROM images').get() as { id: number }).id;
  const modelId = shard.db.prepare('INSERT INTO models (file, sha256, card) VALUES (?, ?, ?)').run('m.onnx', 'abc', '{}').lastInsertRowid;
  const runId = shard.db.prepare('INSERT INTO runs (model_id, method, params, seed, lumen_version, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(modelId, 'gradient', '{}', 0, 'test', 'now').lastInsertRowid;
  shard.db.prepare('INSERT INTO results (run_id, image_id, target, score, map_artifact, metrics) VALUES (?, ?, ?, ?, ?, ?)').run(runId, imageId, 1, 0.5, artifact, '{}');
  const shardArtifacts = shard.artifacts;
  shard.close();
  return { project, shardArtifacts };
}

describe('merging shards copies only maps that are really in the shard', () => {
  it('a map in the shard artifacts folder is copied into the project', async () => {
    const { project, shardArtifacts } = await projectWithShard('run-1/1.npy');
    mkdirSync(join(shardArtifacts, 'run-1'), { recursive: true });
    writeFileSync(join(shardArtifacts, 'run-1', '1.npy'), 'map');
    expect(await mergeShards(project)).toMatchObject({ shards: 1, added: 1 });
  });

  it('a map named outside it ("..") is refused as damage, and nothing is copied', async () => {
    const outside = join(tempDir('lumen-outside-'), 'secret.npy');
    writeFileSync(outside, 'secret');
    const { project } = await projectWithShard(`../../../../../../../../../..${outside}`);
    await expect(mergeShards(project)).rejects.toThrow(/names a map outside its artifacts folder/);
    const store = ProjectStore.open(project);
    expect(store.db.prepare('SELECT count(*) AS n FROM results').get()).toMatchObject({ n: 0 });
    expect(existsSync(join(store.artifacts, 'run-1'))).toBe(false);
    store.close();
  });
});
