import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import { importFolder } from '../../../../src/main/engine/project/dataset-import';
import { labelOverlap, labelOverlapCounts, labelOverlapWarnings } from '../../../../src/main/engine/project/label-overlap';
import { ProjectStore } from '../../../../src/main/engine/project/project-store';
import { testApi } from '../../../helpers/engine';
import { tempDir } from '../../../helpers/tiny-models';

const single = { kind: 'logits' as const, labels: ['cat', 'dog', 'Space shuttle'] };

describe('labelOverlap and its warnings', () => {
  it('no warning when every label is the model’s (ignoring case and spaces), or when there are no labels', () => {
    const all = labelOverlap(['cat', ' Dog ', 'space shuttle', null], single);
    expect(all).toEqual({ names: 3, matchedNames: 3, unmatched: [], labelledImages: 3, matchedImages: 3 });
    expect(labelOverlapWarnings(all, single, 'd')).toEqual([]);
    expect(labelOverlapWarnings(labelOverlap([null, null], single), single, 'd')).toEqual([]);
  });

  it('none shared: says accuracy will read 0 %, with examples from both sides', () => {
    const none = labelOverlap(['0', '1', '1', '2', '3', '4', '5'], single);
    expect(none).toMatchObject({ names: 6, matchedNames: 0, matchedImages: 0, labelledImages: 7 });
    // Most frequent first.
    expect(none.unmatched[0]).toBe('1');
    const [warning] = labelOverlapWarnings(none, single, 'digits');
    expect(warning).toBe(
      'None of the 6 labels of dataset "digits" is one of the model\'s 3 labels (dataset: "1", "0", "2", "3", "4" and 1 more; model: "cat", "dog", "Space shuttle"), so accuracy will read 0 % and confident predictions will all be flagged as mistakes. Rename the dataset\'s labels to the model\'s (lumen import --labels), or check that this is the right model for the dataset.',
    );
  });

  it('a few shared: says how many, and which do not match', () => {
    const some = labelOverlap(['cat', 'cats', 'doggo', 'doggo', 'cat'], single);
    expect(some).toEqual({ names: 3, matchedNames: 1, unmatched: ['doggo', 'cats'], labelledImages: 5, matchedImages: 2 });
    expect(labelOverlapCounts(some, single)).toBe("Only 1 of the dataset's 3 labels is the model's (2 of 5 labelled images); images with the others count as mistakes.");
    expect(labelOverlapCounts(labelOverlap(['cat'], single), single)).toBeNull();
    expect(labelOverlapWarnings(some, single, 'pets')).toEqual([
      'Only 1 of the 3 labels of dataset "pets" is the model\'s (2 of 5 labelled images); the others count as mistakes: "doggo", "cats". Rename them to the model\'s labels (e.g. "cat", "dog", "Space shuttle") if they mean the same thing.',
    ]);
  });

  it('multi-label: the findings named in each label, "No Finding" and unknown marks understood', () => {
    const findings = { kind: 'multilabel-logits' as const, labels: ['Effusion', 'Nodule'] };
    expect(labelOverlap(['Effusion|?Nodule', 'No Finding', 'nodule'], findings)).toEqual({ names: 2, matchedNames: 2, unmatched: [], labelledImages: 3, matchedImages: 3 });
    expect(labelOverlap(['Effusion|Pleural_Thickening', 'Mass'], findings)).toEqual({ names: 3, matchedNames: 1, unmatched: ['Mass', 'Pleural_Thickening'], labelledImages: 2, matchedImages: 0 });
  });
});

describe('an audit warns at its start when the dataset’s labels are not the model’s', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let modelId: string;
  const notices: string[] = [];

  async function project(folders: Record<string, string>): Promise<string> {
    const images = tempDir('lumen-labels-');
    for (const [folder, sample] of Object.entries(folders)) {
      mkdirSync(join(images, folder));
      copyFileSync(`resources/samples/${sample}`, join(images, folder, sample));
    }
    const path = join(tempDir(), 'study');
    const store = ProjectStore.open(path, { create: true });
    try {
      await importFolder(store, 'set', images);
    } finally {
      store.close();
    }
    return path;
  }

  beforeAll(async () => {
    ({ api, close } = testApi());
    api.on('notice', (n) => n.level === 'warning' && notices.push(n.message));
    modelId = (await api.call('models.open', {})).id;
  });
  afterAll(() => close());

  it('none shared: the result and a notice at the start say so', async () => {
    notices.length = 0;
    let noticeBeforeFirstImage: boolean | null = null;
    const stop = api.on('progress', (p) => {
      if (noticeBeforeFirstImage === null && p.done === 0) noticeBeforeFirstImage = notices.length > 0;
    });
    const path = await project({ kaffee: 'coffee.png', rakete: 'rocket.jpg' });
    const result = await api.call('audit', { project: path, dataset: 'set', modelId, method: 'gradient' });
    stop();
    // A past run opened later says the same.
    expect((await api.call('audit.summary', { project: path, runId: result.runId })).warnings).toEqual(result.warnings);
    // A report of the run says so too, in counts only (a label may be an identifier).
    const report = await api.call('report.render', { spec: { project: path, modelId, title: 't', runs: [result.runId] }, format: 'html' });
    expect(report.html).toContain('<p class="warn">None of the dataset&#39;s 2 labels is one of the model&#39;s 1000 labels: accuracy reads 0 % and confident predictions are flagged as mistakes.');
    expect(result.warnings).toEqual([expect.stringMatching(/^None of the 2 labels of dataset "set" is one of the model's 1000 labels \(dataset: "kaffee", "rakete"; model: "tench, Tinca tinca"/)]);
    expect(notices).toEqual(result.warnings);
    expect(noticeBeforeFirstImage).toBe(true);
    // What the warning is about: nothing counts as right.
    expect(result.perClass.every((c) => c.accuracy === 0)).toBe(true);
  });

  it('one of two shared: how many, and the one that is not', async () => {
    const result = await api.call('audit', { project: await project({ espresso: 'coffee.png', rocket: 'rocket.jpg' }), dataset: 'set', modelId, method: 'gradient' });
    expect(result.warnings).toEqual([expect.stringMatching(/^Only 1 of the 2 labels of dataset "set" is the model's \(1 of 2 labelled images\); the others count as mistakes: "rocket"\./)]);
  });

  it('all shared: no warning', async () => {
    const path = await project({ espresso: 'coffee.png' });
    const result = await api.call('audit', { project: path, dataset: 'set', modelId, method: 'gradient' });
    expect(result.warnings).toEqual([]);
    expect((await api.call('audit.summary', { project: path, runId: result.runId })).warnings).toEqual([]);
  });
});
