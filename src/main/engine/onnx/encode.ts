import { create, toBinary, type DescMessage, type Message, type MessageShape } from '@bufbuild/protobuf';
import type { Attribute, Dim, Graph, Model, Node, OnnxFunction, OpsetId, Tensor, ValueInfo } from './ir';
import { originOf } from './origin';
import {
  AttributeProtoSchema,
  FunctionProtoSchema,
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  StringStringEntryProtoSchema,
  TensorProtoSchema,
  TensorProto_DataLocation,
  TensorShapeProtoSchema,
  TensorShapeProto_DimensionSchema,
  TypeProtoSchema,
  TypeProto_TensorSchema,
  ValueInfoProtoSchema,
  type AttributeProto,
  type FunctionProto,
  type GraphProto,
  type ModelProto,
  type NodeProto,
  type OperatorSetIdProto,
  type StringStringEntryProto,
  type TensorProto,
  type TensorShapeProto_Dimension,
  type TypeProto,
  type ValueInfoProto,
} from './schema/onnx_pb';

/**
 * Encodes Lumen's IR back into an ONNX ModelProto that onnxruntime loads. What the IR holds is
 * written from the IR; every other field of an object that was decoded (doc strings,
 * metadata_props, training info, unknown fields) is written back from its original message, so a
 * model decoded and encoded without edits keeps all of its fields.
 */
export function encodeModel(model: Model): Uint8Array {
  return joinChunks(modelChunks(modelToProto(model)));
}

/**
 * The model's bytes as chunks, weights (initializers' raw_data) as the caller's own views: the
 * output is assembled with one copy of each weight. toBinary alone would grow one buffer by
 * doubling and shift each large message to fit its length prefix, several copies (and twice the
 * memory) of a 350 MB model. Fields are in field-number order, then unknown fields, as toBinary
 * and protobuf's C++ writer put them, so the bytes are the same as toBinary's.
 */
function modelChunks(p: ModelProto): Uint8Array[] {
  if (!p.graph) return [toBinary(ModelProtoSchema, p)];
  const graph = graphChunks(p.graph);
  return [toBinary(ModelProtoSchema, part(ModelProtoSchema, p, (n) => n < 7, false)), ...lengthDelimited(7, graph), toBinary(ModelProtoSchema, part(ModelProtoSchema, p, (n) => n > 7, true))];
}

function graphChunks(g: GraphProto): Uint8Array[] {
  const chunks: Uint8Array[] = [toBinary(GraphProtoSchema, part(GraphProtoSchema, g, (n) => n < 5, false))];
  for (const t of g.initializer) chunks.push(...lengthDelimited(5, tensorChunks(t)));
  chunks.push(toBinary(GraphProtoSchema, part(GraphProtoSchema, g, (n) => n > 5, true)));
  return chunks;
}

function tensorChunks(t: TensorProto): Uint8Array[] {
  if (!Object.hasOwn(t, 'rawData') || t.rawData.length < 4096) return [toBinary(TensorProtoSchema, t)];
  return [toBinary(TensorProtoSchema, part(TensorProtoSchema, t, (n) => n < 9, false)), ...lengthDelimited(9, [t.rawData]), toBinary(TensorProtoSchema, part(TensorProtoSchema, t, (n) => n > 9, true))];
}

/** A copy of `p` with only the fields whose numbers pass `keep` (and its unknown fields, if asked). */
function part<Desc extends DescMessage>(schema: Desc, p: MessageShape<Desc>, keep: (fieldNo: number) => boolean, unknown: boolean): MessageShape<Desc> {
  const out = create(schema) as MessageShape<Desc>;
  const target = out as unknown as Record<string, unknown>;
  const source = p as unknown as Record<string, unknown>;
  for (const field of schema.fields) if (keep(field.number) && Object.hasOwn(source, field.localName)) target[field.localName] = source[field.localName];
  if (unknown && p.$unknown) out.$unknown = p.$unknown;
  return out;
}

/** Field `fieldNo` (wire type 2) holding the concatenation of `chunks`. */
function lengthDelimited(fieldNo: number, chunks: Uint8Array[]): Uint8Array[] {
  const length = chunks.reduce((n, c) => n + c.length, 0);
  return [Uint8Array.from([...varint((fieldNo << 3) | 2), ...varint(length)]), ...chunks];
}

function varint(value: number): number[] {
  const out: number[] = [];
  while (value >= 0x80) {
    out.push((value % 0x80) | 0x80);
    value = Math.floor(value / 0x80);
  }
  out.push(value);
  return out;
}

function joinChunks(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

function modelToProto(model: Model): ModelProto {
  const origin = originOf<ModelProto>(model, 'onnx.ModelProto');
  const p = kept(ModelProtoSchema, origin, ['irVersion', 'opsetImport', 'producerName', 'producerVersion', 'domain', 'modelVersion', 'docString', 'graph', 'metadataProps', 'functions']);
  p.irVersion = int64(model.irVersion, origin?.irVersion);
  p.opsetImport = model.opsets.map(opsetToProto);
  set(p, origin, 'producerName', model.producerName, '');
  set(p, origin, 'producerVersion', model.producerVersion, '');
  set(p, origin, 'domain', model.domain, '');
  set(p, origin, 'modelVersion', int64(model.modelVersion, origin?.modelVersion), 0n);
  set(p, origin, 'docString', model.docString, '');
  p.graph = graphToProto(model.graph);
  p.metadataProps = model.metadata.map(([key, value]) => pairToProto(key, value));
  p.functions = model.functions.map(functionToProto);
  return p;
}

function opsetToProto(opset: OpsetId): OperatorSetIdProto {
  const origin = originOf<OperatorSetIdProto>(opset, 'onnx.OperatorSetIdProto');
  const p = kept(OperatorSetIdProtoSchema, origin, ['domain', 'version']);
  set(p, origin, 'domain', opset.domain, '');
  p.version = int64(opset.version, origin?.version);
  return p;
}

function pairToProto(key: string, value: string): StringStringEntryProto {
  return create(StringStringEntryProtoSchema, { key, value });
}

function graphToProto(graph: Graph): GraphProto {
  const origin = originOf<GraphProto>(graph, 'onnx.GraphProto');
  const p = kept(GraphProtoSchema, origin, ['node', 'name', 'initializer', 'input', 'output', 'valueInfo']);
  p.node = graph.nodes.map(nodeToProto);
  set(p, origin, 'name', graph.name, '');
  p.initializer = graph.initializers.map(tensorToProto);
  p.input = graph.inputs.map(valueInfoToProto);
  p.output = graph.outputs.map(valueInfoToProto);
  p.valueInfo = graph.valueInfo.map(valueInfoToProto);
  return p;
}

function functionToProto(fn: OnnxFunction): FunctionProto {
  const origin = originOf<FunctionProto>(fn, 'onnx.FunctionProto');
  const p = kept(FunctionProtoSchema, origin, ['name', 'domain', 'overload', 'input', 'output', 'attribute', 'attributeProto', 'node', 'opsetImport', 'valueInfo']);
  set(p, origin, 'name', fn.name, '');
  set(p, origin, 'domain', fn.domain, '');
  set(p, origin, 'overload', fn.overload, '');
  p.input = fn.inputs;
  p.output = fn.outputs;
  p.attribute = fn.attributes;
  p.attributeProto = fn.attributeDefaults.map(attributeToProto);
  p.node = fn.nodes.map(nodeToProto);
  p.opsetImport = fn.opsets.map(opsetToProto);
  p.valueInfo = fn.valueInfo.map(valueInfoToProto);
  return p;
}

function nodeToProto(node: Node): NodeProto {
  const origin = originOf<NodeProto>(node, 'onnx.NodeProto');
  const p = kept(NodeProtoSchema, origin, ['input', 'output', 'name', 'opType', 'domain', 'attribute', 'overload']);
  p.input = node.inputs;
  p.output = node.outputs;
  set(p, origin, 'name', node.name, '');
  p.opType = node.opType;
  set(p, origin, 'domain', node.domain, '');
  p.attribute = node.attributes.map(attributeToProto);
  set(p, origin, 'overload', node.overload ?? '', '');
  return p;
}

function attributeToProto(a: Attribute): AttributeProto {
  const origin = originOf<AttributeProto>(a, 'onnx.AttributeProto');
  const p = kept(AttributeProtoSchema, origin, ['name', 'refAttrName', 'type', 'f', 'i', 's', 't', 'g', 'floats', 'ints', 'strings', 'tensors', 'graphs']);
  p.name = a.name;
  if (a.refAttrName) p.refAttrName = a.refAttrName;
  p.type = a.type;
  if (a.f !== undefined) p.f = a.f;
  if (a.i !== undefined) p.i = int64(a.i, origin?.i);
  if (a.s !== undefined) p.s = a.s;
  if (a.t !== undefined) p.t = tensorToProto(a.t);
  if (a.g !== undefined) p.g = graphToProto(a.g);
  if (a.floats) p.floats = a.floats;
  if (a.ints) p.ints = int64s(a.ints, origin?.ints);
  if (a.strings) p.strings = a.strings;
  if (a.tensors) p.tensors = a.tensors.map(tensorToProto);
  if (a.graphs) p.graphs = a.graphs.map(graphToProto);
  return p;
}

function tensorToProto(t: Tensor): TensorProto {
  const origin = originOf<TensorProto>(t, 'onnx.TensorProto');
  const p = kept(TensorProtoSchema, origin, ['dims', 'dataType', 'name', 'rawData', 'floatData', 'int32Data', 'int64Data', 'doubleData', 'uint64Data', 'stringData', 'externalData', 'dataLocation']);
  p.dims = int64s(t.dims, origin?.dims);
  p.dataType = t.dataType;
  set(p, origin, 'name', t.name, '');
  if (t.raw) p.rawData = t.raw;
  if (t.floatData) p.floatData = t.floatData;
  if (t.int32Data) p.int32Data = t.int32Data;
  if (t.int64Data) p.int64Data = int64s(t.int64Data, origin?.int64Data);
  if (t.doubleData) p.doubleData = t.doubleData;
  if (t.uint64Data) p.uint64Data = t.uint64Data.map((v) => BigInt.asUintN(64, int64(v)));
  if (t.stringData) p.stringData = t.stringData;
  if (t.external) {
    p.externalData = externalEntries(t.external, origin?.externalData ?? []);
    p.dataLocation = TensorProto_DataLocation.EXTERNAL;
  }
  return p;
}

/** The tensor's external_data entries: the original ones in their order (with any other keys), updated. */
function externalEntries(ref: NonNullable<Tensor['external']>, original: StringStringEntryProto[]): StringStringEntryProto[] {
  const values = new Map<string, string | undefined>([
    ['location', ref.location],
    ['offset', ref.offset === 0 && !original.some((e) => e.key === 'offset') ? undefined : String(ref.offset)],
    ['length', ref.length === null ? undefined : String(ref.length)],
  ]);
  const out: StringStringEntryProto[] = [];
  for (const entry of original) {
    if (!values.has(entry.key)) out.push(entry);
    else {
      const value = values.get(entry.key);
      if (value !== undefined) out.push(value === entry.value ? entry : pairToProto(entry.key, value));
      values.delete(entry.key);
    }
  }
  for (const [key, value] of values) if (value !== undefined) out.push(pairToProto(key, value));
  return out;
}

function valueInfoToProto(v: ValueInfo): ValueInfoProto {
  const origin = originOf<ValueInfoProto>(v, 'onnx.ValueInfoProto');
  const p = kept(ValueInfoProtoSchema, origin, ['name', 'type']);
  set(p, origin, 'name', v.name, '');
  const type = typeToProto(v, origin?.type);
  if (type) p.type = type;
  return p;
}

/** A tensor type from the IR; a type the IR does not model (sequence, map, optional) as it was. */
function typeToProto(v: ValueInfo, origin: TypeProto | undefined): TypeProto | undefined {
  const originTensor = origin?.value.case === 'tensorType' ? origin.value.value : undefined;
  if (v.elemType === undefined && v.shape === undefined) {
    // Nothing the IR knows: the original type, unless it said more than the IR now does.
    const saidMore = originTensor !== undefined && (Object.hasOwn(originTensor, 'elemType') || originTensor.shape !== undefined);
    return saidMore ? undefined : origin;
  }
  const type = kept(TypeProtoSchema, origin, ['value']);
  const tensor = kept(TypeProto_TensorSchema, originTensor, ['elemType', 'shape']);
  if (v.elemType !== undefined) tensor.elemType = v.elemType;
  if (v.shape !== undefined) {
    const shape = kept(TensorShapeProtoSchema, originTensor?.shape, ['dim']);
    const originDims = originTensor?.shape?.dim ?? [];
    shape.dim = v.shape.map((d, i) => dimToProto(d, originDims[i]));
    tensor.shape = shape;
  }
  type.value = { case: 'tensorType', value: tensor };
  return type;
}

function dimToProto(d: Dim, origin: TensorShapeProto_Dimension | undefined): TensorShapeProto_Dimension {
  const value = origin?.value;
  const same =
    (typeof d === 'number' && value?.case === 'dimValue' && Number(value.value) === d) ||
    (typeof d === 'string' && value?.case === 'dimParam' && value.value === d) ||
    (d === null && value?.case === undefined);
  if (origin && same) return origin;
  const dim = create(TensorShapeProto_DimensionSchema);
  if (typeof d === 'number') dim.value = { case: 'dimValue', value: int64(d) };
  else if (typeof d === 'string') dim.value = { case: 'dimParam', value: d };
  return dim;
}

/**
 * A new message of `schema` holding the fields of `origin` that the IR does not model (and its
 * unknown fields); the caller fills in the modelled ones.
 */
function kept<Desc extends DescMessage>(schema: Desc, origin: Message | undefined, modelled: readonly string[]): MessageShape<Desc> {
  const p = create(schema) as MessageShape<Desc>;
  if (!origin) return p;
  const target = p as unknown as Record<string, unknown>;
  const source = origin as unknown as Record<string, unknown>;
  for (const key of Object.keys(source)) if (key !== '$typeName' && !modelled.includes(key)) target[key] = source[key];
  return p;
}

/**
 * Sets an optional proto2 field when it has a value other than its default, or when the original
 * message had it (so that an unedited model is written back exactly).
 */
function set<M extends Message, K extends keyof M & string>(p: M, origin: M | undefined, key: K, value: M[K], empty: M[K]): void {
  if (value !== empty || (origin !== undefined && Object.hasOwn(origin, key))) p[key] = value;
}

const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;

/**
 * A JS number as an int64: the original value when it reads back as this number (int64 values
 * beyond 2^53 do not survive a trip through a number), else the number, clamped to int64's range
 * (INT64_MAX, as Slice's "to the end", reads back as 2^63).
 */
function int64(value: number, original?: bigint): bigint {
  if (original !== undefined && Number(original) === value) return original;
  if (Number.isNaN(value)) return 0n;
  if (value >= 2 ** 63) return int64Max;
  if (value <= -(2 ** 63)) return int64Min;
  return BigInt(Math.trunc(value));
}

function int64s(values: readonly number[], original?: readonly bigint[]): bigint[] {
  if (original && original.length === values.length) return values.map((v, i) => int64(v, original[i]));
  return values.map((v) => int64(v));
}
