import { join } from 'node:path';
import { LumenError } from '../../../../shared/errors';
import { listImages } from '../../image/list-images';
import { Rng } from '../../random/rng';

export interface LabelledImage {
  /** Relative to the dataset folder. */
  path: string;
  label: number;
}

/**
 * A labelled image folder: one sub-folder per class (its name is the label), images anywhere
 * below it. Images directly in the folder have no label: an error, since ROAR trains on labels.
 */
export async function readLabelledFolder(root: string): Promise<{ labels: string[]; images: LabelledImage[] }> {
  const all = await listImages(root);
  const unlabelled = all.filter((p) => !p.includes('/'));
  if (all.length === 0 || unlabelled.length === all.length) {
    throw new LumenError('invalid-argument', `${root} has no labelled images: ROAR needs one sub-folder per class (e.g. normal/, pneumonia/) with the images inside.`, 'Put each class’s images in a sub-folder named after the class.');
  }
  if (unlabelled.length > 0) {
    throw new LumenError('invalid-argument', `${unlabelled.length} image(s) in ${root} are not in a class sub-folder (e.g. ${unlabelled[0]}), so they have no label.`, 'Move them into the sub-folder of their class.');
  }
  const labels = [...new Set(all.map((p) => p.split('/')[0]!))].sort();
  if (labels.length < 2) throw new LumenError('invalid-argument', `ROAR needs at least two classes; ${root} has only "${labels[0]}".`);
  const images = all.map((path) => ({ path, label: labels.indexOf(path.split('/')[0]!) }));
  for (const [k, label] of labels.entries()) {
    const count = images.filter((i) => i.label === k).length;
    if (count < 2) throw new LumenError('invalid-argument', `Class "${label}" has ${count} image; ROAR needs at least two per class (one to train on, one to test).`, `Add images to ${join(root, label)}.`);
  }
  return { labels, images };
}

/**
 * A seeded split per class: a `testFraction` of each class (at least one image) for testing, the
 * rest (at least one) for training, so every class is in both.
 */
export function splitTrainTest<T extends { label: number }>(images: T[], testFraction: number, seed: number): { train: T[]; test: T[] } {
  const rng = new Rng(seed);
  const train: T[] = [];
  const test: T[] = [];
  const classes = [...new Set(images.map((i) => i.label))].sort((a, b) => a - b);
  for (const label of classes) {
    const members = images.filter((i) => i.label === label);
    for (let i = members.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [members[i], members[j]] = [members[j]!, members[i]!];
    }
    const k = Math.min(members.length - 1, Math.max(1, Math.round(testFraction * members.length)));
    test.push(...members.slice(0, k));
    train.push(...members.slice(k));
  }
  return { train, test };
}
