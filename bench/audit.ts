/**
 * Dataset audit throughput on the default model, CPU: images per minute for Grad-CAM and for
 * Integrated Gradients with 32 steps over twelve photos (the samples, twice), and the storage
 * overhead per image (map artifact and transaction) against the compute per image, same run.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApi } from '../src/shared/contract/api';
import { PortTransport } from '../src/shared/contract/port-transport';
import { localEnginePort } from '../src/main/engine-host/local-engine';
import { importFolder } from '../src/main/engine/project/dataset-import';
import { ProjectStore } from '../src/main/engine/project/project-store';

export async function benchAudit(): Promise<void> {
  const data = mkdtempSync(join(tmpdir(), 'lumen-bench-data-'));
  for (const copy of ['a', 'b']) {
    mkdirSync(join(data, copy));
    for (const f of readdirSync('resources/samples').filter((f) => /\.(png|jpg)$/.test(f))) copyFileSync(join('resources/samples', f), join(data, copy, f));
  }
  const local = localEnginePort({ graphCacheDir: null });
  const api = createApi(new PortTransport(local.port));
  const model = await api.call('models.open', { executionProvider: 'cpu' });
  console.log('audit throughput, default model, CPU, 12 photos:');
  for (const [method, params] of [
    ['grad-cam', {}],
    ['integrated-gradients', { steps: 32 }],
  ] as const) {
    const project = join(mkdtempSync(join(tmpdir(), 'lumen-bench-')), 'study');
    const store = ProjectStore.open(project, { create: true });
    await importFolder(store, 'photos', data);
    store.close();
    // Warm the compiled graphs on a throwaway run of one image, then audit all twelve.
    await api.call('audit', { project, dataset: 'photos', modelId: model.id, method, params, limit: 1 });
    const r = await api.call('audit', { project, dataset: 'photos', modelId: model.id, method, params });
    const s = r.storage;
    console.log(
      `  ${method}${method === 'integrated-gradients' ? '-32' : ''}: ${r.imagesPerMinute.toFixed(0)} images/min; compute ${s.computeMsPerImage.toFixed(0)} ms/image, storage ${s.msPerImage.toFixed(1)} ms/image (${((100 * s.msPerImage) / s.computeMsPerImage).toFixed(1)}% of compute), ${(s.bytesPerImage / 1024).toFixed(0)} KiB/image`,
    );
  }
  await local.close();
}
