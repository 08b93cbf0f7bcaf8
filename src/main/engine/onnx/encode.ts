import { ProtoWriter } from './protobuf/writer';
import type { Attribute, Graph, Model, Node, Tensor, ValueInfo } from './ir';

/** Encodes Lumen's IR back into an ONNX ModelProto that onnxruntime loads. */
export function encodeModel(model: Model): Uint8Array {
  const w = new ProtoWriter();
  w.varint(1, model.irVersion);
  if (model.producerName) w.string(2, model.producerName);
  if (model.producerVersion) w.string(3, model.producerVersion);
  if (model.domain) w.string(4, model.domain);
  if (model.modelVersion) w.varint(5, model.modelVersion);
  if (model.docString) w.string(6, model.docString);
  w.message(7, (g) => writeGraph(g, model.graph));
  for (const opset of model.opsets) {
    w.message(8, (o) => {
      if (opset.domain) o.string(1, opset.domain);
      o.varint(2, opset.version);
    });
  }
  for (const [key, value] of model.metadata) writePair(w, 14, key, value);
  return w.finish();
}

function writePair(w: ProtoWriter, field: number, key: string, value: string): void {
  w.message(field, (p) => {
    p.string(1, key);
    p.string(2, value);
  });
}

function writeGraph(w: ProtoWriter, graph: Graph): void {
  for (const node of graph.nodes) w.message(1, (n) => writeNode(n, node));
  if (graph.name) w.string(2, graph.name);
  for (const t of graph.initializers) w.message(5, (x) => writeTensor(x, t));
  for (const v of graph.inputs) w.message(11, (x) => writeValueInfo(x, v));
  for (const v of graph.outputs) w.message(12, (x) => writeValueInfo(x, v));
  for (const v of graph.valueInfo) w.message(13, (x) => writeValueInfo(x, v));
}

function writeNode(w: ProtoWriter, node: Node): void {
  for (const input of node.inputs) w.string(1, input);
  for (const output of node.outputs) w.string(2, output);
  if (node.name) w.string(3, node.name);
  w.string(4, node.opType);
  for (const attr of node.attributes) w.message(5, (a) => writeAttribute(a, attr));
  if (node.domain) w.string(7, node.domain);
}

function writeAttribute(w: ProtoWriter, a: Attribute): void {
  w.string(1, a.name);
  if (a.f !== undefined) w.float(2, a.f);
  if (a.i !== undefined) w.varint(3, a.i);
  if (a.s !== undefined) w.bytes(4, a.s);
  if (a.t !== undefined) w.message(5, (t) => writeTensor(t, a.t!));
  if (a.g !== undefined) w.message(6, (g) => writeGraph(g, a.g!));
  if (a.floats) w.packedFloats(7, a.floats);
  if (a.ints) w.packedVarints(8, a.ints);
  for (const s of a.strings ?? []) w.bytes(9, s);
  for (const t of a.tensors ?? []) w.message(10, (x) => writeTensor(x, t));
  for (const g of a.graphs ?? []) w.message(11, (x) => writeGraph(x, g));
  w.varint(20, a.type);
}

export function writeTensor(w: ProtoWriter, t: Tensor): void {
  w.packedVarints(1, t.dims);
  w.varint(2, t.dataType);
  if (t.floatData) w.packedFloats(4, t.floatData);
  if (t.int32Data) w.packedVarints(5, t.int32Data);
  for (const s of t.stringData ?? []) w.bytes(6, s);
  if (t.int64Data) w.packedVarints(7, t.int64Data);
  if (t.name) w.string(8, t.name);
  if (t.raw) w.bytes(9, t.raw);
  if (t.doubleData) w.packedDoubles(10, t.doubleData);
  if (t.uint64Data) w.packedVarints(11, t.uint64Data);
  if (t.external) {
    writePair(w, 13, 'location', t.external.location);
    writePair(w, 13, 'offset', String(t.external.offset));
    if (t.external.length !== null) writePair(w, 13, 'length', String(t.external.length));
    w.varint(14, 1);
  }
}

function writeValueInfo(w: ProtoWriter, v: ValueInfo): void {
  w.string(1, v.name);
  if (v.elemType === undefined) return;
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.varint(1, v.elemType!);
      if (v.shape === undefined) return;
      tensor.message(2, (shape) => {
        for (const d of v.shape!) {
          shape.message(1, (dim) => {
            if (typeof d === 'number') dim.varint(1, d);
            else if (typeof d === 'string') dim.string(2, d);
          });
        }
      });
    }),
  );
}
