import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveCard } from '../../../../src/main/engine/model/resolve-card';
import { decodeModel } from '../../../../src/main/engine/onnx/decode';
import { DataType, type Model } from '../../../../src/main/engine/onnx/ir';
import { floatToHalfBits, halfBitsToFloat } from '../../../../src/main/engine/runtime/half-precision';
import { modelOf } from '../../../helpers/compiled-runner';
import { failure } from '../../../helpers/failure';
import { testApi } from '../../../helpers/engine';
import { node, tempDir, writeModel } from '../../../helpers/tiny-models';
import { corpusMeta, corpusRoot } from './corpus';

const corpusModel = (name: string): Model => decodeModel(new Uint8Array(readFileSync(`${corpusRoot}${name}/model.onnx`)));

describe('NHWC layout read from the graph', () => {
  it('a Keras export whose input dims are all dynamic is NHWC because of the Transpose after its input', () => {
    const model = corpusModel('keras_softmax');
    const dynamic: Model = { ...model, graph: { ...model.graph, inputs: model.graph.inputs.map((v) => ({ ...v, shape: ['N', 'H', 'W', 'C'] })) } };
    const { card, sources } = resolveCard({ model: dynamic, fileStem: 'keras', cardFile: {}, cardPathHint: 'keras.card.json' });
    expect(card.input.layout).toBe('NHWC');
    expect(sources['input.layout']).toBe('model');
  });

  it('a shape whose both ends look like channel counts ([1, 3, 3, 3]) is decided by the Transpose', () => {
    const model = corpusModel('keras_sigmoid');
    const square: Model = { ...model, graph: { ...model.graph, inputs: model.graph.inputs.map((v) => ({ ...v, shape: [1, 3, 3, 3] })) } };
    expect(resolveCard({ model: square, fileStem: 'k', cardFile: {}, cardPathHint: 'k.card.json' }).card.input.layout).toBe('NHWC');
  });

  it('a card that says NCHW for an NHWC export is refused, naming the field', () => {
    expect(() => resolveCard({ model: corpusModel('keras_softmax'), fileStem: 'k', cardFile: { input: { layout: 'NCHW' } }, cardPathHint: 'k.card.json' })).toThrow(/input\.layout is NCHW/);
  });

  it('corpus metadata agrees: the Keras models are the NHWC ones', () => {
    expect(corpusMeta('keras_softmax').layout).toBe('NHWC');
    expect(corpusMeta('torchscript_opset13').layout).toBe('NCHW');
  });
});

describe('half precision', () => {
  it('float32 -> float16 rounds to nearest even and round-trips every finite half', () => {
    expect(floatToHalfBits(1)).toBe(0x3c00);
    expect(floatToHalfBits(1 + 2 ** -11)).toBe(0x3c00); // a tie: to the even mantissa
    expect(floatToHalfBits(1 + 3 * 2 ** -11)).toBe(0x3c02); // a tie: to the even mantissa, upwards
    expect(floatToHalfBits(65520)).toBe(0x7c00); // past the largest half: infinity
    expect(floatToHalfBits(2 ** -24)).toBe(0x0001); // the smallest subnormal
    expect(floatToHalfBits(-0)).toBe(0x8000);
    for (let bits = 0; bits < 0x10000; bits++) {
      if ((bits & 0x7c00) === 0x7c00 && bits & 0x3ff) continue; // NaN payloads
      expect(floatToHalfBits(halfBitsToFloat(bits))).toBe(bits);
    }
  });

  it('a model computing in bfloat16 is refused at open with what to do (onnxruntime CPU has no bfloat16 arithmetic)', async () => {
    const bf16 = (values: number[]): Uint8Array => {
      const f = new Float32Array(values);
      return new Uint8Array(Uint16Array.from(new Uint32Array(f.buffer), (u) => u >>> 16).buffer);
    };
    const model: Model = modelOf({
        name: 'bf16',
        nodes: [node('GlobalAveragePool', ['image'], ['pooled']), node('Flatten', ['pooled'], ['flat']), node('MatMul', ['flat', 'W'], ['scores'])],
        initializers: [{ name: 'W', dims: [3, 2], dataType: DataType.BFLOAT16, raw: bf16([1, 2, 3, 4, 5, 6]) }],
        inputs: [{ name: 'image', elemType: DataType.BFLOAT16, shape: [1, 3, 8, 8] }],
        outputs: [{ name: 'scores', elemType: DataType.BFLOAT16, shape: [1, 2] }],
        valueInfo: [],
    });
    const path = writeModel(tempDir(), 'bf16.onnx', model);
    const { api, close } = testApi();
    try {
      const error = await failure(api.call('models.open', { path }));
      expect(error.message).toMatch(/bfloat16/);
      expect(error.message.split('\n')).toHaveLength(1);
      expect(error.hint).toMatch(/float16 or float32/);
    } finally {
      await close();
    }
  });
});
