import { ProtoReader, WireType } from './protobuf/reader';
import type { Attribute, Dim, Graph, Model, Node, Tensor, ValueInfo } from './ir';

/**
 * Decodes an ONNX ModelProto. Field numbers are those of onnx.proto; unknown fields are skipped.
 * Throws RangeError on malformed input (callers turn that into a clear "not an ONNX file" error).
 */
export function decodeModel(bytes: Uint8Array): Model {
  const r = new ProtoReader(bytes);
  const model: Model = {
    irVersion: 0,
    opsets: [],
    producerName: '',
    producerVersion: '',
    domain: '',
    modelVersion: 0,
    docString: '',
    graph: emptyGraph(),
    metadata: [],
    functionCount: 0,
  };
  let sawGraph = false;
  while (!r.done) {
    const [field, wire] = r.key();
    switch (field) {
      case 1: model.irVersion = r.varint(); break;
      case 2: model.producerName = r.string(); break;
      case 3: model.producerVersion = r.string(); break;
      case 4: model.domain = r.string(); break;
      case 5: model.modelVersion = r.varint(); break;
      case 6: model.docString = r.string(); break;
      case 7: model.graph = decodeGraph(r.message()); sawGraph = true; break;
      case 8: model.opsets.push(decodeOpset(r.message())); break;
      case 14: model.metadata.push(decodeStringPair(r.message())); break;
      case 25: r.skip(wire); model.functionCount += 1; break;
      default: r.skip(wire);
    }
  }
  if (!sawGraph) throw new RangeError('no graph in ModelProto');
  return model;
}

function emptyGraph(): Graph {
  return { name: '', nodes: [], initializers: [], inputs: [], outputs: [], valueInfo: [] };
}

function decodeOpset(r: ProtoReader): { domain: string; version: number } {
  const opset = { domain: '', version: 0 };
  while (!r.done) {
    const [field, wire] = r.key();
    if (field === 1) opset.domain = r.string();
    else if (field === 2) opset.version = r.varint();
    else r.skip(wire);
  }
  return opset;
}

function decodeStringPair(r: ProtoReader): [string, string] {
  let key = '';
  let value = '';
  while (!r.done) {
    const [field, wire] = r.key();
    if (field === 1) key = r.string();
    else if (field === 2) value = r.string();
    else r.skip(wire);
  }
  return [key, value];
}

export function decodeGraph(r: ProtoReader): Graph {
  const graph = emptyGraph();
  while (!r.done) {
    const [field, wire] = r.key();
    switch (field) {
      case 1: graph.nodes.push(decodeNode(r.message())); break;
      case 2: graph.name = r.string(); break;
      case 5: graph.initializers.push(decodeTensor(r.message())); break;
      case 11: graph.inputs.push(decodeValueInfo(r.message())); break;
      case 12: graph.outputs.push(decodeValueInfo(r.message())); break;
      case 13: graph.valueInfo.push(decodeValueInfo(r.message())); break;
      default: r.skip(wire);
    }
  }
  return graph;
}

function decodeNode(r: ProtoReader): Node {
  const node: Node = { name: '', opType: '', domain: '', inputs: [], outputs: [], attributes: [] };
  while (!r.done) {
    const [field, wire] = r.key();
    switch (field) {
      case 1: node.inputs.push(r.string()); break;
      case 2: node.outputs.push(r.string()); break;
      case 3: node.name = r.string(); break;
      case 4: node.opType = r.string(); break;
      case 5: node.attributes.push(decodeAttribute(r.message())); break;
      case 7: node.domain = r.string(); break;
      default: r.skip(wire);
    }
  }
  return node;
}

function decodeAttribute(r: ProtoReader): Attribute {
  const attr: Attribute = { name: '', type: 0 };
  const floats: number[] = [];
  const ints: number[] = [];
  const strings: Uint8Array[] = [];
  const tensors: Tensor[] = [];
  const graphs: Graph[] = [];
  while (!r.done) {
    const [field, wire] = r.key();
    switch (field) {
      case 1: attr.name = r.string(); break;
      case 20: attr.type = r.varint(); break;
      case 2: attr.f = r.float(); break;
      case 3: attr.i = r.varint(); break;
      case 4: attr.s = r.bytes(); break;
      case 5: attr.t = decodeTensor(r.message()); break;
      case 6: attr.g = decodeGraph(r.message()); break;
      case 7: r.packed(wire, (x) => x.float(), floats); break;
      case 8: r.packed(wire, (x) => x.varint(), ints); break;
      case 9: strings.push(r.bytes()); break;
      case 10: tensors.push(decodeTensor(r.message())); break;
      case 11: graphs.push(decodeGraph(r.message())); break;
      default: r.skip(wire);
    }
  }
  if (floats.length > 0) attr.floats = floats;
  if (ints.length > 0) attr.ints = ints;
  if (strings.length > 0) attr.strings = strings;
  if (tensors.length > 0) attr.tensors = tensors;
  if (graphs.length > 0) attr.graphs = graphs;
  if (attr.type === 0) attr.type = inferAttributeType(attr);
  return attr;
}

/** Very old exporters omit the type; infer it from the field that is set. */
function inferAttributeType(a: Attribute): number {
  if (a.f !== undefined) return 1;
  if (a.i !== undefined) return 2;
  if (a.s !== undefined) return 3;
  if (a.t !== undefined) return 4;
  if (a.g !== undefined) return 5;
  if (a.floats) return 6;
  if (a.ints) return 7;
  if (a.strings) return 8;
  if (a.tensors) return 9;
  if (a.graphs) return 10;
  return 0;
}

export function decodeTensor(r: ProtoReader): Tensor {
  const tensor: Tensor = { name: '', dims: [], dataType: 0 };
  const floatData: number[] = [];
  const int32Data: number[] = [];
  const int64Data: number[] = [];
  const doubleData: number[] = [];
  const uint64Data: number[] = [];
  const stringData: Uint8Array[] = [];
  const external: Array<[string, string]> = [];
  let location = 0;
  while (!r.done) {
    const [field, wire] = r.key();
    switch (field) {
      case 1: r.packed(wire, (x) => x.varint(), tensor.dims); break;
      case 2: tensor.dataType = r.varint(); break;
      case 4: r.packed(wire, (x) => x.float(), floatData); break;
      case 5: r.packed(wire, (x) => x.varint(), int32Data); break;
      case 6: stringData.push(r.bytes()); break;
      case 7: r.packed(wire, (x) => x.varint(), int64Data); break;
      case 8: tensor.name = r.string(); break;
      case 9: tensor.raw = r.bytes(); break;
      case 10: r.packed(wire, (x) => x.double(), doubleData); break;
      case 11: r.packed(wire, (x) => x.varint(), uint64Data); break;
      case 13: external.push(decodeStringPair(r.message())); break;
      case 14: location = r.varint(); break;
      default: r.skip(wire);
    }
  }
  if (floatData.length > 0) tensor.floatData = floatData;
  if (int32Data.length > 0) tensor.int32Data = int32Data;
  if (int64Data.length > 0) tensor.int64Data = int64Data;
  if (doubleData.length > 0) tensor.doubleData = doubleData;
  if (uint64Data.length > 0) tensor.uint64Data = uint64Data;
  if (stringData.length > 0) tensor.stringData = stringData;
  if (location === 1 || external.length > 0) {
    const entries = new Map(external);
    tensor.external = {
      location: entries.get('location') ?? '',
      offset: Number(entries.get('offset') ?? 0),
      length: entries.has('length') ? Number(entries.get('length')) : null,
    };
  }
  return tensor;
}

function decodeValueInfo(r: ProtoReader): ValueInfo {
  const info: ValueInfo = { name: '' };
  while (!r.done) {
    const [field, wire] = r.key();
    if (field === 1) info.name = r.string();
    else if (field === 2) decodeType(r.message(), info);
    else r.skip(wire);
  }
  return info;
}

function decodeType(r: ProtoReader, info: ValueInfo): void {
  while (!r.done) {
    const [field, wire] = r.key();
    if (field !== 1) {
      r.skip(wire);
      continue;
    }
    const t = r.message(); // TypeProto.Tensor
    while (!t.done) {
      const [tf, tw] = t.key();
      if (tf === 1) info.elemType = t.varint();
      else if (tf === 2) info.shape = decodeShape(t.message());
      else t.skip(tw);
    }
  }
}

function decodeShape(r: ProtoReader): Dim[] {
  const dims: Dim[] = [];
  while (!r.done) {
    const [field, wire] = r.key();
    if (field !== 1) {
      r.skip(wire);
      continue;
    }
    const d = r.message();
    let dim: Dim = null;
    while (!d.done) {
      const [df, dw] = d.key();
      if (df === 1) dim = d.varint();
      else if (df === 2) dim = d.string();
      else d.skip(dw);
    }
    dims.push(dim);
  }
  return dims;
}

export { WireType };
