import { existsSync, mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import { savedCardPath } from '../../../../src/main/engine/model/saved-card';
import { testApi } from '../../../helpers/engine';
import { tempDir, tinyClassifier, writeModel } from '../../../helpers/tiny-models';
import { failure } from '../../../helpers/failure';

const home = tempDir('lumen-home-');
process.env['LUMEN_HOME'] = home;

const bundledCard = new URL('../../../../resources/models/mobilenet_v2_1.0_224/model.card.json', import.meta.url);

/** A fresh engine: what the next start of Lumen sees. */
async function reopen<T>(read: (api: LumenApi) => Promise<T>): Promise<T> {
  const fresh = testApi();
  try {
    return await read(fresh.api);
  } finally {
    await fresh.close();
  }
}

describe('models.updateCard: edit an open model card, validated, kept under the same id, saved', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let dir: string;
  let path: string;
  beforeAll(() => {
    ({ api, close } = testApi());
    dir = tempDir();
    path = writeModel(dir, 'tiny.onnx', tinyClassifier({ inputShape: [1, 3, 8, 8], classes: 4 }), {
      'tiny.card.json': JSON.stringify({ name: 'Tiny', labelsFile: 'names.txt' }),
      'names.txt': 'a\nb\nc\nd\n',
    });
  });
  afterAll(() => close());

  it('a user model: new fields over its card, the same id, the sidecar and the home copy written', async () => {
    const opened = await api.call('models.open', { path });
    expect(opened.card.card.output.labels).toEqual(['a', 'b', 'c', 'd']);
    const updated = await api.call('models.updateCard', { modelId: opened.id, card: { name: 'Tiny, edited', preprocess: { mean: [0.5], std: [0.25] } } });
    expect(updated.id).toBe(opened.id);
    expect(updated.card.card).toMatchObject({ name: 'Tiny, edited', preprocess: { mean: [0.5], std: [0.25] }, output: { labels: ['a', 'b', 'c', 'd'] } });
    expect(updated.card.sources).toMatchObject({ name: 'card', 'preprocess.mean': 'card', 'output.labels': 'card' });
    // The registry holds the edited model under the id; opening the file again finds it.
    expect((await api.call('models.details', { modelId: opened.id })).id).toBe(opened.id);
    expect((await api.call('models.list', {})).find((m) => m.id === opened.id)!.card.card.name).toBe('Tiny, edited');
    expect((await api.call('models.open', { path })).id).toBe(opened.id);
    // Saved: next to the model (labelsFile still relative to it) and in the home folder (labels inline).
    expect(JSON.parse(readFileSync(join(dir, 'tiny.card.json'), 'utf8'))).toEqual({ name: 'Tiny, edited', labelsFile: 'names.txt', preprocess: { mean: [0.5], std: [0.25] } });
    expect(JSON.parse(readFileSync(savedCardPath(opened.sha256), 'utf8'))).toEqual({ name: 'Tiny, edited', preprocess: { mean: [0.5], std: [0.25] }, output: { labels: ['a', 'b', 'c', 'd'] } });
    expect(savedCardPath(opened.sha256)).toBe(join(home, 'cards', `${opened.sha256}.card.json`));
    // The next start of Lumen opens the model with the edited card.
    expect((await reopen((a) => a.call('models.open', { path }))).card.card.name).toBe('Tiny, edited');
  });

  it('classification uses the edited card at once', async () => {
    const { id } = await api.call('models.open', { path });
    const image = await api.call('images.open', { source: 'sample', sampleId: 'coffee' });
    await api.call('models.updateCard', { modelId: id, card: { output: { labels: ['w', 'x', 'y', 'z'] } } });
    const { predictions } = await api.call('classify', { modelId: id, imageId: image.id, topK: 4 });
    expect(predictions.map((p) => p.label).sort()).toEqual(['w', 'x', 'y', 'z']);
  });

  it('an invalid field is refused with the field named, and the model keeps its card', async () => {
    const { id } = await api.call('models.open', { path });
    const before = (await api.call('models.list', {})).find((m) => m.id === id)!.card;
    const sidecar = readFileSync(join(dir, 'tiny.card.json'), 'utf8');
    const width = await failure(api.call('models.updateCard', { modelId: id, card: { input: { width: 224 } } }));
    expect(width.code).toBe('invalid-card');
    expect(width.message).toMatch(/^The model card's input\.width /);
    expect(width.details).toEqual({ field: 'input.width' });
    const labels = await failure(api.call('models.updateCard', { modelId: id, card: { output: { labels: ['only', 'three', 'labels'] } } }));
    expect(labels.message).toMatch(/output\.labels has 3 labels but the model's output "scores" has 4 classes/);
    const std = await failure(api.call('models.updateCard', { modelId: id, card: { preprocess: { std: [0] } } }));
    expect(std.code).toBe('invalid-request');
    expect(std.message).toContain('card.preprocess.std');
    const unknown = await failure(api.call('models.updateCard', { modelId: id, card: { colour: 'RGB' } as never }));
    expect(unknown.code).toBe('invalid-request');
    expect(unknown.message).toContain('colour');
    expect((await api.call('models.list', {})).find((m) => m.id === id)!.card).toEqual(before);
    expect(readFileSync(join(dir, 'tiny.card.json'), 'utf8')).toBe(sidecar);
    expect((await failure(api.call('models.updateCard', { modelId: 'nope', card: {} }))).code).toBe('not-found');
  });

  it('a sidecar edited by hand after the edit wins; a damaged home copy is ignored with a note', async () => {
    const { sha256 } = await api.call('models.open', { path });
    const sidecar = join(dir, 'tiny.card.json');
    writeFileSync(sidecar, JSON.stringify({ name: 'Edited by hand', labelsFile: 'names.txt' }));
    const later = new Date(statSync(savedCardPath(sha256)).mtimeMs + 10_000);
    utimesSync(sidecar, later, later);
    expect((await reopen((a) => a.call('models.open', { path }))).card.card).toMatchObject({ name: 'Edited by hand', output: { labels: ['a', 'b', 'c', 'd'] } });
    writeFileSync(savedCardPath(sha256), '{ damaged');
    utimesSync(savedCardPath(sha256), new Date(later.getTime() + 10_000), new Date(later.getTime() + 10_000));
    const card = (await reopen((a) => a.call('models.open', { path }))).card;
    expect(card.card.name).toBe('Edited by hand');
    expect(card.notes.join('\n')).toMatch(/The saved card .*\.card\.json was ignored: .* is not valid JSON/);
  });

  it('where the sidecar cannot be written, the card is saved in the home folder only, with a notice, and still used', async () => {
    const own = tempDir();
    const model = writeModel(own, 'other.onnx', tinyClassifier({ inputShape: [1, 3, 8, 8], classes: 2 }));
    const { id, sha256 } = await api.call('models.open', { path: model });
    // A folder where the sidecar would go: it cannot be written (as in a read-only folder).
    mkdirSync(join(own, 'other.card.json'));
    const notices: string[] = [];
    const stop = api.on('notice', (n) => notices.push(n.message));
    const updated = await api.call('models.updateCard', { modelId: id, card: { name: 'Other', output: { labels: ['cat', 'dog'] } } });
    stop();
    expect(updated.card.card.name).toBe('Other');
    expect(notices).toEqual([expect.stringMatching(/^The card was saved in Lumen's home folder only: .*other\.card\.json could not be written/)]);
    expect(JSON.parse(readFileSync(savedCardPath(sha256), 'utf8'))).toEqual({ name: 'Other', output: { labels: ['cat', 'dog'] } });
    rmSync(join(own, 'other.card.json'), { recursive: true });
    // No sidecar: the home copy is the card.
    expect((await reopen((a) => a.call('models.open', { path: model }))).card.card).toMatchObject({ name: 'Other', output: { labels: ['cat', 'dog'] } });
  });

  it('the bundled model: its folder is never written; the edit is kept in the home folder and used from then on', async () => {
    const original = readFileSync(bundledCard, 'utf8');
    const opened = await api.call('models.open', {});
    const labels = opened.card.card.output.labels;
    expect(labels).toHaveLength(1000);
    const updated = await api.call('models.updateCard', { modelId: opened.id, card: { name: 'My MobileNet' } });
    expect(updated).toMatchObject({ id: opened.id, builtIn: true, card: { card: { name: 'My MobileNet' } } });
    expect(readFileSync(bundledCard, 'utf8')).toBe(original);
    const saved = JSON.parse(readFileSync(savedCardPath(opened.sha256), 'utf8')) as Record<string, unknown>;
    expect(saved['labelsFile']).toBeUndefined();
    expect(saved).toMatchObject({ name: 'My MobileNet', output: { labels } });
    const next = await reopen((a) => a.call('models.open', {}));
    expect(next.card.card.name).toBe('My MobileNet');
    expect(next.card.card.output.labels).toEqual(labels);
    expect(next.card.card.preprocess).toEqual(opened.card.card.preprocess);
    rmSync(savedCardPath(opened.sha256));
    expect((await reopen((a) => a.call('models.open', {}))).card.card.name).toBe(opened.card.card.name);
    expect(existsSync(join(home, 'cards'))).toBe(true);
  });
});
