import { copyFile, mkdir, readFile, rename, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { LumenError } from '../../../shared/errors';
import type { Sample } from '../../../shared/contract/image';
import { writeFileAtomic } from '../fs-utils';
import { lumenHome } from '../lumen-home';
import { loadSamples, samplePath } from '../resources';
import { importCsv } from './dataset-import';
import { ProjectStore } from './project-store';

export const demoDatasetName = 'samples';

/**
 * The ImageNet class each bundled sample shows, as the bundled MobileNetV2's labels spell it (its
 * top-1 prediction for each, see test/e2e/classify.spec.ts). The astronaut portrait and the fundus
 * photograph show nothing among ImageNet's 1000 classes (there is no "astronaut", "person" or
 * "retina" class), so they are unlabelled: the demo then also shows what an unlabelled image looks
 * like in an audit (no right or wrong, no misclassification flag).
 */
export const demoLabels: Record<string, string | null> = {
  cat_chelsea: 'tiger cat',
  coffee: 'espresso',
  rocket: 'missile',
  grace_hopper: 'military uniform',
  astronaut: null,
  retina: null,
};

export function demoProjectDir(): string {
  return join(lumenHome(), 'demo-project');
}

export function isDemoProject(folder: string): boolean {
  return resolve(folder) === resolve(demoProjectDir());
}

let pending: Promise<unknown> = Promise.resolve();

/**
 * The demo project, made on first use: the bundled samples copied into `<home>/demo-project/images`
 * (so the project does not depend on where Lumen is installed) and imported as the dataset
 * `samples`, labelled by `demoLabels`. Calling it again repairs what is missing and changes
 * nothing else. Calls are serialised: two windows asking at once do not import twice.
 * The returned store is open; the caller closes it.
 */
export function openDemoProject(): Promise<ProjectStore> {
  const run = pending.catch(() => undefined).then(makeDemoProject);
  pending = run;
  return run;
}

async function makeDemoProject(): Promise<ProjectStore> {
  const folder = demoProjectDir();
  const images = join(folder, 'images');
  await mkdir(images, { recursive: true });
  const samples = await loadSamples();
  for (const sample of samples) await copyIfMissing(samplePath(sample), join(images, sample.fileName));
  // The labels as a CSV next to the images: readable, and imported by the ordinary CSV import.
  const csv = join(folder, 'labels.csv');
  const text = labelsCsv(samples);
  if ((await readFile(csv, 'utf8').catch(() => undefined)) !== text) await writeFileAtomic(csv, text);
  const store = ProjectStore.open(folder, { create: true });
  try {
    const report = await importCsv(store, demoDatasetName, csv, images);
    if (report.problems.length > 0) {
      const first = report.problems[0]!;
      throw new LumenError('internal', `The demo project could not import the samples (${first.where}: ${first.reason}).`, 'Reinstall Lumen; the bundled samples may be damaged.');
    }
    return store;
  } catch (error) {
    store.close();
    throw error;
  }
}

function labelsCsv(samples: Sample[]): string {
  const quote = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return ['path,label', ...samples.map((s) => `${quote(s.fileName)},${quote(demoLabels[s.id] ?? '')}`)].join('\n') + '\n';
}

async function copyIfMissing(from: string, to: string): Promise<void> {
  const [source, target] = await Promise.all([stat(from), stat(to).catch(() => undefined)]);
  if (target && target.size === source.size) return;
  const tmp = `${to}.${process.pid}.tmp`;
  await copyFile(from, tmp);
  await rename(tmp, to);
}
