import { readFileSync } from 'node:fs';
import { fromBinary } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { decodeModel } from '../../../../src/main/engine/onnx/decode';
import { encodeModel } from '../../../../src/main/engine/onnx/encode';
import { ModelProtoSchema } from '../../../../src/main/engine/onnx/schema/onnx_pb';

// Written by tools/fixtures/make_codec_fixtures.py: doc strings everywhere, IR 10 metadata_props on a
// node and the graph, two model-local functions (one with an IR 9 attribute default) and a field no
// ONNX version defines. The first reader lost its place at the node's doc string ("truncated field").
const bytes = new Uint8Array(readFileSync(new URL('../../../fixtures/onnx-codec/functions.onnx', import.meta.url)));

describe('what today exporters write (IR 10)', () => {
  const model = decodeModel(bytes);

  it('reads the graph, the functions and their attribute references', () => {
    expect(model.irVersion).toBe(10);
    expect(model.graph.nodes.map((n) => `${n.domain}:${n.opType}`)).toEqual([':Conv', 'lumen.test:Outer', 'lumen.test:Outer', ':GlobalAveragePool', ':Flatten', ':Gemm']);
    expect(model.functions.map((f) => [f.domain, f.name, f.inputs, f.outputs])).toEqual([
      ['lumen.test', 'Outer', ['X'], ['Y']],
      ['lumen.test', 'Swishish', ['X'], ['Y']],
    ]);
    const [outer, swish] = model.functions;
    expect(outer!.attributeDefaults).toEqual([{ name: 'beta', type: 1, f: 0.5 }]);
    expect(outer!.nodes[0]!.attributes).toEqual([{ name: 'alpha', type: 1, refAttrName: 'beta' }]);
    expect(swish!.attributes).toEqual(['alpha']);
    expect(swish!.nodes[0]!.attributes).toEqual([{ name: 'value_float', type: 1, refAttrName: 'alpha' }]);
    expect(model.graph.nodes[1]!.attributes).toEqual([{ name: 'beta', type: 1, f: 2 }]);
    expect(model.metadata).toEqual([['license', 'CC0-1.0']]);
  });

  it('writes back every field after the IR is edited, including fields it does not model', () => {
    // An edit as a pass makes one: a node renamed, an output added.
    model.graph.nodes[0]!.name = '/conv/Conv_edited';
    model.graph.outputs.push({ name: 'conv', elemType: 1, shape: [1, 4, 4, 4] });
    const proto = fromBinary(ModelProtoSchema, encodeModel(model));
    const original = fromBinary(ModelProtoSchema, bytes);
    const conv = proto.graph!.node[0]!;
    expect(conv.name).toBe('/conv/Conv_edited');
    expect(conv.docString).toBe('conv = nn.Conv2d(3, 4, 3, padding=1)');
    expect(conv.metadataProps.map((p) => [p.key, p.value])).toEqual([
      ['pkg.torch.onnx.name_scopes', "['', 'conv']"],
      ['pkg.torch.onnx.class_hierarchy', "['Net', 'Conv2d']"],
    ]);
    expect(proto.graph!.metadataProps.map((p) => [p.key, p.value])).toEqual([['exporter', 'make_codec_fixtures.py']]);
    expect(proto.graph!.docString).toBe('a graph with function calls');
    expect(proto.graph!.input[0]!.docString).toBe('an image, NCHW');
    expect(proto.graph!.initializer[0]!.docString).toBe('convolution weights');
    expect(proto.graph!.output.map((o) => o.name)).toEqual(['logits', 'conv']);
    expect(proto.docString).toBe('what a dynamo export carries');
    expect(proto.functions).toEqual(original.functions);
    expect(proto.functions[0]!.docString).toBe('X + X * sigmoid(beta * X)');
    expect(proto.$unknown).toEqual([{ no: 1000, wireType: 0, data: new Uint8Array([7]) }]);
  });
});
