import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import { importedModelsDir, safeModelFileName } from '../../../../src/main/engine/model/model-import';
import { encodeModel } from '../../../../src/main/engine/onnx/encode';
import { testApi } from '../../../helpers/engine';
import { tempDir, tinyClassifier } from '../../../helpers/tiny-models';
import { failure } from '../../../helpers/failure';

process.env['LUMEN_HOME'] = tempDir('lumen-home-');

/** The imported model files, as `<sha prefix>/<name>`. */
const models = () =>
  existsSync(importedModelsDir())
    ? readdirSync(importedModelsDir())
        .flatMap((d) => readdirSync(join(importedModelsDir(), d)).map((f) => `${d}/${f}`))
        .sort()
    : [];

describe('models.import: a model given as bytes', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  beforeAll(() => ({ api, close } = testApi()));
  afterAll(() => close());
  let before: string[];
  beforeEach(() => {
    before = models();
  });

  it('is kept in the home folder as <sha256 prefix>/<name>, shown by its own name, and opened like a file', async () => {
    const bytes = encodeModel(tinyClassifier({ inputShape: [1, 3, 8, 8], classes: 3 }));
    const summary = await api.call('models.import', { name: 'tiny.onnx', data: bytes });
    expect(summary).toMatchObject({ builtIn: false, sizeBytes: bytes.length, executionProvider: { used: 'cpu' } });
    expect(summary.fileName).toBe('tiny.onnx');
    const stored = `${summary.sha256.slice(0, 16)}/tiny.onnx`;
    expect(new Uint8Array(readFileSync(join(importedModelsDir(), stored)))).toEqual(bytes);
    expect(summary.card.card.output.labels).toEqual([]);
    // The same bytes again, under another name: the file there is reused, and it is the same model.
    const again = await api.call('models.import', { name: 'copy of tiny.onnx', data: bytes });
    expect(again.id).toBe(summary.id);
    expect(again.fileName).toBe(summary.fileName);
    expect(models()).toEqual([...before, stored].sort());
    expect((await api.call('models.list', {})).filter((m) => m.sha256 === summary.sha256)).toHaveLength(1);
  });

  it('with an inline card; the name never leaves the models folder', async () => {
    const bytes = encodeModel(tinyClassifier({ inputShape: [1, 3, 8, 8], classes: 2 }));
    const summary = await api.call('models.import', { name: '../../elsewhere/My model!', data: bytes, card: { name: 'Two classes', output: { labels: ['no', 'yes'] } }, executionProvider: 'cpu' });
    expect(summary.fileName).toBe('My model_.onnx');
    expect(summary.card.card).toMatchObject({ name: 'Two classes', output: { labels: ['no', 'yes'] } });
    expect(summary.card.sources['output.labels']).toBe('card');
    expect(existsSync(join(importedModelsDir(), summary.sha256.slice(0, 16), summary.fileName))).toBe(true);
  });

  it('bytes that are not ONNX: a clear error, and no file left behind', async () => {
    const error = await failure(api.call('models.import', { name: 'photo.onnx', data: new TextEncoder().encode('definitely not a model') }));
    expect(error.code).toBe('invalid-model');
    expect(error.message).toMatch(/^photo\.onnx is not an ONNX model/);
    expect(error.hint).toBeTruthy();
    expect(models()).toEqual(before);
  });

  it('a model onnxruntime refuses, or an inline card that contradicts it: the error, and the file goes again', async () => {
    const tiny = tinyClassifier({ inputShape: [1, 3, 8, 8] });
    const broken = { ...tiny, graph: { ...tiny.graph, nodes: tiny.graph.nodes.map((n) => (n.opType === 'MatMul' ? { ...n, opType: 'NoSuchOperator' } : n)) } };
    const refused = await failure(api.call('models.import', { name: 'broken.onnx', data: encodeModel(broken) }));
    expect(refused.code).toBe('invalid-model');
    expect(refused.message).toMatch(/onnxruntime could not load the model/);
    expect(models()).toEqual(before);
    const badCard = await failure(api.call('models.import', { name: 'tiny5.onnx', data: encodeModel(tinyClassifier({ inputShape: [1, 3, 8, 8], classes: 5 })), card: { input: { width: 224 } } }));
    expect(badCard.code).toBe('invalid-card');
    expect(badCard.message).toMatch(/input\.width/);
    expect(models()).toEqual(before);
    // A card field of the wrong type is refused by the contract, naming it.
    const shape = await failure(api.call('models.import', { name: 'x.onnx', data: new Uint8Array(4), card: { preprocess: { std: [0] } } }));
    expect(shape.code).toBe('invalid-request');
    expect(shape.message).toContain('card.preprocess.std');
  });

  it('safe file names', () => {
    expect(safeModelFileName('resnet50.onnx')).toBe('resnet50.onnx');
    expect(safeModelFileName('C:\\models\\ResNet 50.ONNX')).toBe('ResNet 50.ONNX');
    expect(safeModelFileName('/tmp/../..')).toBe('model.onnx');
    expect(safeModelFileName('.hidden')).toBe('hidden.onnx');
    expect(safeModelFileName('weird:name?*')).toBe('weird_name__.onnx');
  });
});
