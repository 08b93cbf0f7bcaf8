import { dataTypeName, dataTypeSize, DataType, elementCount, type Model, type ValueInfo } from './ir';

export interface TensorSignature {
  name: string;
  elementType: string;
  shape: Array<number | string>;
}

export interface ModelStatistics {
  nodeCount: number;
  operators: Record<string, number>;
  parameterCount: number;
  initializerBytes: number;
}

const floatingTypes = new Set<number>([DataType.FLOAT, DataType.FLOAT16, DataType.BFLOAT16, DataType.DOUBLE]);

/**
 * Operator histogram and parameter count. Parameters are the elements of floating-point
 * initializers (and floating Constant nodes): integer initializers are shapes and indices, not
 * learned weights.
 */
export function modelStatistics(model: Model): ModelStatistics {
  const operators: Record<string, number> = {};
  let parameterCount = 0;
  let initializerBytes = 0;
  for (const node of model.graph.nodes) {
    const key = node.domain && node.domain !== 'ai.onnx' ? `${node.domain}.${node.opType}` : node.opType;
    operators[key] = (operators[key] ?? 0) + 1;
    if (node.opType === 'Constant') {
      const value = node.attributes.find((a) => a.name === 'value')?.t;
      if (value && floatingTypes.has(value.dataType)) parameterCount += elementCount(value.dims);
    }
  }
  for (const t of model.graph.initializers) {
    const n = elementCount(t.dims);
    if (floatingTypes.has(t.dataType)) parameterCount += n;
    initializerBytes += n * dataTypeSize(t.dataType);
  }
  return { nodeCount: model.graph.nodes.length, operators, parameterCount, initializerBytes };
}

/** Inputs the caller must feed: graph inputs that are not initializers (old exporters list both). */
export function runtimeInputs(model: Model): ValueInfo[] {
  const initialized = new Set(model.graph.initializers.map((t) => t.name));
  return model.graph.inputs.filter((v) => !initialized.has(v.name));
}

export function signature(value: ValueInfo): TensorSignature {
  return {
    name: value.name,
    elementType: value.elemType === undefined ? 'unknown' : dataTypeName(value.elemType),
    shape: (value.shape ?? []).map((d) => (d === null ? '?' : d)),
  };
}
