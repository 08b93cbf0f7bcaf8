import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fromBinary } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { decodeModel } from '../../../../src/main/engine/onnx/decode';
import { encodeModel } from '../../../../src/main/engine/onnx/encode';
import { modelStatistics } from '../../../../src/main/engine/onnx/model-details';
import { ModelProtoSchema } from '../../../../src/main/engine/onnx/schema/onnx_pb';
import { InferenceSession, OrtTensor } from '../../../../src/main/engine/runtime/onnxruntime';

const modelPath = new URL('../../../../resources/models/mobilenet_v2_1.0_224/model.onnx', import.meta.url);
const fixtures = new URL('../../../fixtures/', import.meta.url);

/** Every real model in the repository: the bundled one, the architecture zoo, the codec fixtures. */
const realModels: Array<[string, URL]> = [
  ['bundled MobileNetV2', modelPath],
  ...readdirSync(new URL('models/', fixtures)).filter((name) => !name.includes('.')).map((name): [string, URL] => [name, new URL(`models/${name}/model.onnx`, fixtures)]),
  ['functions (IR 10)', new URL('onnx-codec/functions.onnx', fixtures)],
  // The exporter corpus (tools/fixtures/make_model_corpus.py): dynamo, TorchScript, Keras, float16, QDQ.
  ...(existsSync(new URL('corpus/', fixtures)) ? readdirSync(new URL('corpus/', fixtures)) : [])
    .map((name): [string, URL] => [`corpus ${name}`, new URL(`corpus/${name}/model.onnx`, fixtures)])
    .filter(([, url]) => existsSync(url)),
];

describe('ONNX model codec on the bundled MobileNetV2', () => {
  const bytes = new Uint8Array(readFileSync(modelPath));
  const model = decodeModel(bytes);

  it('reads the facts recorded in the model provenance', () => {
    expect(model.irVersion).toBe(7);
    expect(model.opsets).toEqual([{ domain: '', version: 13 }]);
    expect(model.graph.inputs.map((i) => [i.name, i.shape])).toEqual([['input', ['batch', 3, 224, 224]]]);
    expect(model.graph.outputs.map((o) => [o.name, o.shape])).toEqual([
      ['logits', ['batch', 1000]],
      ['features', ['batch', 1280, 7, 7]],
    ]);
    const stats = modelStatistics(model);
    expect(stats.operators).toEqual({ Conv: 53, Clip: 35, Add: 10, GlobalAveragePool: 1, Flatten: 1, Identity: 1 });
    expect(stats.parameterCount).toBe(3_487_886);
    expect(new Map(model.metadata).get('license')).toBe('Apache-2.0');
  });

  it('keeps weights as views of the file bytes, not copies', () => {
    const weights = model.graph.initializers.filter((t) => t.raw && t.raw.length > 1024);
    expect(weights.length).toBeGreaterThan(50);
    for (const t of weights) expect(t.raw!.buffer).toBe(bytes.buffer);
  });

  it('decodes what it encodes', () => {
    // Weights are compared by hash: a deep comparison of 14 MB of byte views is needlessly slow.
    const digest = (m: typeof model): unknown =>
      JSON.parse(
        JSON.stringify(m, (_key, value: unknown) =>
          value instanceof Uint8Array ? `sha256:${createHash('sha256').update(value).digest('hex')}` : value,
        ),
      );
    expect(digest(decodeModel(encodeModel(model)))).toEqual(digest(model));
  });

  it('encodes a model onnxruntime runs with the same outputs as the original', async () => {
    const original = await InferenceSession.create(bytes);
    const reencoded = await InferenceSession.create(encodeModel(model));
    const input = new Float32Array(3 * 224 * 224).map((_, i) => Math.sin(i) * 0.8);
    const feeds = { input: new OrtTensor('float32', input, [1, 3, 224, 224]) };
    const a = (await original.run(feeds)).logits!.data as Float32Array;
    const b = (await reencoded.run(feeds)).logits!.data as Float32Array;
    expect(b).toEqual(a);
  });
});

describe('round trip of real models', () => {
  it.each(realModels)('%s: decoded and encoded without edits, it is the same file byte for byte', (_name, url) => {
    const bytes = new Uint8Array(readFileSync(url));
    const again = encodeModel(decodeModel(bytes));
    expect(again.length).toBe(bytes.length);
    expect(Buffer.compare(again, bytes)).toBe(0);
  });

  it('a model built in memory (no original message) encodes to the same fields as it decodes to', () => {
    const model = decodeModel(new Uint8Array(readFileSync(new URL('models/vit/model.onnx', fixtures))));
    // A structural copy has no origin: everything is written from the IR alone.
    const copy = structuredClone(model);
    const proto = fromBinary(ModelProtoSchema, encodeModel(copy));
    expect(proto.graph!.node.map((n) => n.opType)).toEqual(model.graph.nodes.map((n) => n.opType));
    expect(decodeModel(encodeModel(copy))).toEqual(model);
  });
});
