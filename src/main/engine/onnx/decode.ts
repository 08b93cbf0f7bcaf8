import { fromBinary } from '@bufbuild/protobuf';
import type { Attribute, Dim, Graph, Model, Node, OnnxFunction, OpsetId, Tensor, ValueInfo } from './ir';
import { ModelDecodeError, locateDamage } from './decode-errors';
import { rememberOrigin } from './origin';
import {
  ModelProtoSchema,
  TensorProto_DataLocation,
  type AttributeProto,
  type FunctionProto,
  type GraphProto,
  type ModelProto,
  type NodeProto,
  type OperatorSetIdProto,
  type StringStringEntryProto,
  type TensorProto,
  type ValueInfoProto,
} from './schema/onnx_pb';

export { ModelDecodeError } from './decode-errors';

/**
 * Decodes an ONNX ModelProto (IR 3 to 10) with the generated schema. Weights (raw_data) stay views
 * of `bytes`. Throws ModelDecodeError, saying whether the bytes are not an ONNX model at all or an
 * ONNX model that is truncated or damaged, and where.
 */
export function decodeModel(bytes: Uint8Array): Model {
  if (bytes.length === 0) throw new ModelDecodeError('not-onnx', 'the file is empty');
  let proto: ModelProto;
  try {
    proto = fromBinary(ModelProtoSchema, bytes);
  } catch {
    throw locateDamage(bytes);
  }
  const graph = proto.graph;
  if (!graph || (graph.node.length === 0 && graph.input.length === 0 && graph.output.length === 0 && graph.initializer.length === 0)) {
    throw new ModelDecodeError('not-onnx', 'it has no graph');
  }
  if (!Object.hasOwn(proto, 'irVersion') && proto.opsetImport.length === 0) {
    throw new ModelDecodeError('not-onnx', 'it has neither an IR version nor operator sets');
  }
  return rememberOrigin(
    {
      irVersion: Number(proto.irVersion),
      opsets: proto.opsetImport.map(opsetFromProto),
      producerName: proto.producerName,
      producerVersion: proto.producerVersion,
      domain: proto.domain,
      modelVersion: Number(proto.modelVersion),
      docString: proto.docString,
      graph: graphFromProto(graph),
      metadata: proto.metadataProps.map(pair),
      functions: proto.functions.map(functionFromProto),
    },
    proto,
  );
}

function opsetFromProto(p: OperatorSetIdProto): OpsetId {
  return rememberOrigin({ domain: p.domain, version: Number(p.version) }, p);
}

function pair(p: StringStringEntryProto): [string, string] {
  return [p.key, p.value];
}

export function graphFromProto(p: GraphProto): Graph {
  return rememberOrigin(
    {
      name: p.name,
      nodes: p.node.map(nodeFromProto),
      initializers: p.initializer.map(tensorFromProto),
      inputs: p.input.map(valueInfoFromProto),
      outputs: p.output.map(valueInfoFromProto),
      valueInfo: p.valueInfo.map(valueInfoFromProto),
    },
    p,
  );
}

function functionFromProto(p: FunctionProto): OnnxFunction {
  return rememberOrigin(
    {
      name: p.name,
      domain: p.domain,
      overload: p.overload,
      inputs: [...p.input],
      outputs: [...p.output],
      attributes: [...p.attribute],
      attributeDefaults: p.attributeProto.map(attributeFromProto),
      nodes: p.node.map(nodeFromProto),
      opsets: p.opsetImport.map(opsetFromProto),
      valueInfo: p.valueInfo.map(valueInfoFromProto),
    },
    p,
  );
}

function nodeFromProto(p: NodeProto): Node {
  const node: Node = {
    name: p.name,
    opType: p.opType,
    domain: p.domain,
    inputs: [...p.input],
    outputs: [...p.output],
    attributes: p.attribute.map(attributeFromProto),
  };
  if (p.overload) node.overload = p.overload;
  return rememberOrigin(node, p);
}

function attributeFromProto(p: AttributeProto): Attribute {
  const attr: Attribute = { name: p.name, type: p.type };
  if (p.refAttrName) attr.refAttrName = p.refAttrName;
  if (Object.hasOwn(p, 'f')) attr.f = p.f;
  if (Object.hasOwn(p, 'i')) attr.i = Number(p.i);
  if (Object.hasOwn(p, 's')) attr.s = p.s;
  if (p.t) attr.t = tensorFromProto(p.t);
  if (p.g) attr.g = graphFromProto(p.g);
  if (p.floats.length > 0) attr.floats = [...p.floats];
  if (p.ints.length > 0) attr.ints = p.ints.map(Number);
  if (p.strings.length > 0) attr.strings = [...p.strings];
  if (p.tensors.length > 0) attr.tensors = p.tensors.map(tensorFromProto);
  if (p.graphs.length > 0) attr.graphs = p.graphs.map(graphFromProto);
  if (attr.type === 0) attr.type = inferAttributeType(attr);
  return rememberOrigin(attr, p);
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

export function tensorFromProto(p: TensorProto): Tensor {
  const tensor: Tensor = { name: p.name, dims: p.dims.map(Number), dataType: p.dataType };
  if (Object.hasOwn(p, 'rawData')) tensor.raw = p.rawData;
  if (p.floatData.length > 0) tensor.floatData = p.floatData;
  if (p.int32Data.length > 0) tensor.int32Data = p.int32Data;
  if (p.int64Data.length > 0) tensor.int64Data = p.int64Data.map(Number);
  if (p.doubleData.length > 0) tensor.doubleData = p.doubleData;
  if (p.uint64Data.length > 0) tensor.uint64Data = p.uint64Data.map(Number);
  if (p.stringData.length > 0) tensor.stringData = p.stringData;
  if (p.dataLocation === TensorProto_DataLocation.EXTERNAL || p.externalData.length > 0) {
    const entries = new Map(p.externalData.map(pair));
    tensor.external = {
      location: entries.get('location') ?? '',
      offset: Number(entries.get('offset') ?? 0),
      length: entries.has('length') ? Number(entries.get('length')) : null,
    };
  }
  return rememberOrigin(tensor, p);
}

function valueInfoFromProto(p: ValueInfoProto): ValueInfo {
  const info: ValueInfo = { name: p.name };
  const type = p.type?.value;
  if (type?.case === 'tensorType') {
    if (Object.hasOwn(type.value, 'elemType')) info.elemType = type.value.elemType;
    if (type.value.shape) info.shape = type.value.shape.dim.map(dimFromProto);
  }
  return rememberOrigin(info, p);
}

function dimFromProto(d: { value: { case: 'dimValue'; value: bigint } | { case: 'dimParam'; value: string } | { case: undefined; value?: undefined } }): Dim {
  if (d.value.case === 'dimValue') return Number(d.value.value);
  if (d.value.case === 'dimParam') return d.value.value;
  return null;
}
