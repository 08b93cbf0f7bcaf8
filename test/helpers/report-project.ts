import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LumenApi } from '../../src/shared/contract/api';
import { importFolder } from '../../src/main/engine/project/dataset-import';
import { ProjectStore } from '../../src/main/engine/project/project-store';
import { tempDir } from './tiny-models';

/** The patient-like file name the report tests anonymise. */
export const patientLikeName = 'MRN-00482113.jpg';

/**
 * A project for report tests: a dataset "photos" of bundled samples under two label folders (the
 * model gets one right and one wrong), one of them under a patient-like name. Returns the project
 * folder and the data folder (for path-leak checks).
 */
export async function reportProject(): Promise<{ project: string; data: string }> {
  const data = tempDir('lumen-report-data-');
  mkdirSync(join(data, 'espresso'));
  mkdirSync(join(data, 'rocket'));
  copyFileSync('resources/samples/coffee.png', join(data, 'espresso', 'a-coffee.png'));
  copyFileSync('resources/samples/rocket.jpg', join(data, 'rocket', 'b-rocket.jpg'));
  copyFileSync('resources/samples/coffee.png', join(data, 'rocket', patientLikeName));
  const project = join(tempDir('lumen-report-project-'), 'study');
  const store = ProjectStore.open(project, { create: true });
  try {
    await importFolder(store, 'photos', data);
  } finally {
    store.close();
  }
  return { project, data };
}

/** One annotation of each kind on an image, through the contract (as the UI draws them). */
export async function annotate(api: LumenApi, project: string, path: string): Promise<void> {
  const base = { project, dataset: 'photos', path };
  await api.call('annotations.save', { ...base, shape: { kind: 'box', x0: 40, y0: 40, x1: 200, y1: 180 }, text: 'rim of the cup', color: '#00ff88' });
  await api.call('annotations.save', { ...base, shape: { kind: 'arrow', from: [300, 300], to: [220, 200] }, text: 'handle', color: '#ff3366' });
  await api.call('annotations.save', { ...base, shape: { kind: 'freehand', points: [[400, 100], [450, 120], [480, 180], [430, 200]] }, text: '', color: '#3399ff' });
  await api.call('annotations.save', { ...base, shape: { kind: 'text', at: [50, 350] }, text: 'saucer <b>not</b> relevant', color: '#ffcc00' });
}
