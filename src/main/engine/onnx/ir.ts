/**
 * Lumen's in-memory form of an ONNX model: plain objects mirroring ModelProto, small enough to
 * read at a glance. Weights stay as views of the file's bytes until something needs their values.
 *
 * The fields Lumen does not use (doc strings, metadata_props on nodes and graphs, sparse
 * initializers, training info, fields newer than the schema) are not in these objects: decode.ts
 * remembers each object's original message on the side (`originOf`), and encode.ts writes them back.
 */

/** ONNX TensorProto.DataType values Lumen meets. */
export const DataType = {
  UNDEFINED: 0,
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  BFLOAT16: 16,
  FLOAT8E4M3FN: 17,
  FLOAT8E4M3FNUZ: 18,
  FLOAT8E5M2: 19,
  FLOAT8E5M2FNUZ: 20,
  UINT4: 21,
  INT4: 22,
} as const;

const dataTypeNames = new Map<number, string>(Object.entries(DataType).map(([k, v]) => [v, k.toLowerCase()]));
export function dataTypeName(type: number): string {
  return dataTypeNames.get(type) ?? `type${type}`;
}

/** Bytes per element, or 0 for variable-size types (string) and sub-byte ones (int4, uint4). */
export function dataTypeSize(type: number): number {
  switch (type) {
    case DataType.DOUBLE:
    case DataType.INT64:
    case DataType.UINT64:
      return 8;
    case DataType.FLOAT:
    case DataType.INT32:
    case DataType.UINT32:
      return 4;
    case DataType.FLOAT16:
    case DataType.BFLOAT16:
    case DataType.INT16:
    case DataType.UINT16:
      return 2;
    case DataType.UINT8:
    case DataType.INT8:
    case DataType.BOOL:
    case DataType.FLOAT8E4M3FN:
    case DataType.FLOAT8E4M3FNUZ:
    case DataType.FLOAT8E5M2:
    case DataType.FLOAT8E5M2FNUZ:
      return 1;
    default:
      return 0;
  }
}

export interface ExternalDataRef {
  location: string;
  offset: number;
  length: number | null;
}

export interface Tensor {
  name: string;
  dims: number[];
  dataType: number;
  /** Little-endian element bytes (raw_data), when the file stores them that way. */
  raw?: Uint8Array;
  floatData?: number[];
  int32Data?: number[];
  int64Data?: number[];
  doubleData?: number[];
  uint64Data?: number[];
  stringData?: Uint8Array[];
  /** Set when the weights live in a separate file (data_location = EXTERNAL). */
  external?: ExternalDataRef;
}

export const AttributeType = {
  UNDEFINED: 0,
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
  TENSORS: 9,
  GRAPHS: 10,
} as const;

export interface Attribute {
  name: string;
  type: number;
  /** Inside a function body: the caller's attribute this one takes its value from. */
  refAttrName?: string;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: Tensor;
  g?: Graph;
  floats?: number[];
  ints?: number[];
  strings?: Uint8Array[];
  tensors?: Tensor[];
  graphs?: Graph[];
}

export interface Node {
  name: string;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attributes: Attribute[];
  /** Which overload of a model-local function this node calls (IR 10). */
  overload?: string;
}

/** A dimension: a number when fixed, a symbolic name when dynamic, null when unknown. */
export type Dim = number | string | null;

export interface ValueInfo {
  name: string;
  /** Element type (DataType) of a tensor value; undefined for non-tensor types. */
  elemType?: number;
  /** Undefined when the shape (even the rank) is unknown. */
  shape?: Dim[];
}

export interface Graph {
  name: string;
  nodes: Node[];
  initializers: Tensor[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  valueInfo: ValueInfo[];
}

export interface OpsetId {
  domain: string;
  version: number;
}

export interface Model {
  irVersion: number;
  opsets: OpsetId[];
  producerName: string;
  producerVersion: string;
  domain: string;
  modelVersion: number;
  docString: string;
  graph: Graph;
  metadata: Array<[string, string]>;
  /** Model-local functions (FunctionProto); inline-functions.ts expands their calls before compiling. */
  functions: OnnxFunction[];
}

/** A model-local function: a node whose (domain, op type, overload) match calls it. */
export interface OnnxFunction {
  name: string;
  domain: string;
  overload: string;
  /** Formal inputs and outputs, in order. */
  inputs: string[];
  outputs: string[];
  /** Attribute names without a default value. */
  attributes: string[];
  /** Attributes with their default values (IR 9). */
  attributeDefaults: Attribute[];
  nodes: Node[];
  opsets: OpsetId[];
  valueInfo: ValueInfo[];
}

/** Number of elements of a tensor with these dims (1 for a scalar). */
export function elementCount(dims: readonly number[]): number {
  return dims.reduce((n, d) => n * d, 1);
}

export function defaultDomainOpset(model: Model): number | undefined {
  return model.opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version;
}
