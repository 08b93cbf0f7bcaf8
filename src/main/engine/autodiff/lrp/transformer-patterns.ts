import { GraphIndex } from '../../onnx/graph-index';
import type { Model, Node } from '../../onnx/ir';
import { floatValues } from '../../onnx/tensor-values';

/**
 * The parts of a transformer that LRP's transformer rules treat specially, found in the ONNX
 * graph whatever form the exporter chose:
 * - `norm-std`: the Div of a LayerNorm (or RMSNorm) by its standard deviation, written out as
 *   ReduceMean, Sub, Pow (or Mul), ReduceMean, Add, Sqrt, Div by exporters before opset 17;
 *   the rules detach the divisor (the LayerNormalization operator is handled as a whole).
 * - `norm-inv-std-<i>`: the same normalisation written as a product by the inverse std,
 *   Mul(c, Reciprocal(Sqrt(...))) or Mul(c, Pow(..., -0.5)) (torch's rsqrt), operand i the
 *   inverse std, detached.
 * - `gelu-gate-<i>`: the Mul of x by 1 + erf(x / sqrt 2) or 1 + tanh(...) (GELU and its tanh
 *   approximation, written out before opset 20), operand i the gate; the gate is detached
 *   (identity rule).
 * - `norm-centre`: the Sub(x, mean(x)) of such a written-out LayerNorm; its rule centres the
 *   relevance without dividing by the mean (which may be near zero).
 * - `attention-<i>`: a MatMul whose operand i is the output of a Softmax (through reshapes,
 *   transposes, casts): the attention probabilities times the values.
 * - `linear-bias <name>` and `bias-add`: a MatMul by a weight followed by the Add of a constant
 *   bias (how nn.Linear on tokens is exported); the epsilon rule of the pair counts the bias in
 *   its denominator, as for Gemm, instead of stabilising twice.
 *
 * Rules learn a node's role from a marker appended to its name: rule sets see single nodes, and the
 * name is the one part of a node that no runtime reads.
 */
export type TransformerRole = 'norm-std' | 'norm-inv-std-0' | 'norm-inv-std-1' | 'norm-centre' | 'gelu-gate-0' | 'gelu-gate-1' | 'attention-0' | 'attention-1' | 'linear-bias' | 'bias-add';

const marker = ' [lrp: ';

/** The role of a marked node and what the marker names with it (the bias of `linear-bias`). */
export function markOf(node: Node): { role: TransformerRole; argument?: string } | undefined {
  const at = node.name.lastIndexOf(marker);
  if (at < 0) return undefined;
  const text = node.name.slice(at + marker.length, -1);
  const space = text.indexOf(' ');
  return space < 0 ? { role: text as TransformerRole } : { role: text.slice(0, space) as TransformerRole, argument: text.slice(space + 1) };
}

export function roleOf(node: Node): TransformerRole | undefined {
  return markOf(node)?.role;
}

/** Operators that move values without changing them, seen through when looking for a Softmax. */
const moves = new Set(['Reshape', 'Transpose', 'Identity', 'Cast', 'Dropout', 'Squeeze', 'Unsqueeze', 'Flatten']);

class Patterns {
  constructor(private readonly index: GraphIndex) {}

  producer(name: string | undefined, ...ops: string[]): Node | undefined {
    const node = name ? this.index.producer.get(name)?.node : undefined;
    return node && (ops.length === 0 || ops.includes(node.opType)) ? node : undefined;
  }

  isConstant(name: string | undefined, value?: number): boolean {
    const t = name ? this.index.constant(name) : undefined;
    if (!t) return false;
    if (value === undefined) return true;
    const values = floatValues(t);
    return values.length === 1 && Math.abs(values[0]! - value) < 1e-6;
  }

  /** The non-constant input of a node with one constant input (Add(v, eps)), if it has that form. */
  besidesConstant(node: Node): string | undefined {
    const [a, b] = node.inputs;
    if (this.isConstant(b)) return a;
    if (this.isConstant(a)) return b;
    return undefined;
  }

  /** Whether `name` is mean(c^2) over some axes: ReduceMean of Pow(c, 2) or of Mul(c, c). */
  isMeanSquareOf(name: string | undefined, c: string): boolean {
    const mean = this.producer(name, 'ReduceMean');
    const square = this.producer(mean?.inputs[0], 'Pow', 'Mul');
    if (!square) return false;
    if (square.opType === 'Pow') return square.inputs[0] === c && this.isConstant(square.inputs[1], 2);
    return square.inputs[0] === c && square.inputs[1] === c;
  }

  /** Div(c, s) with s = sqrt(mean(c^2) + eps), sqrt(mean(c^2)) + eps or sqrt(mean(c^2)). */
  isNormStd(div: Node): boolean {
    const [c, s] = div.inputs;
    return !!c && !!s && this.isStdOf(s, c);
  }

  /** Whether `r` is 1 / std of c: Reciprocal of a std (isStdOf), or (mean(c^2) [+ eps]) ^ -0.5. */
  isInverseStdOf(r: string | undefined, c: string | undefined): boolean {
    if (!r || !c) return false;
    const reciprocal = this.producer(r, 'Reciprocal');
    if (reciprocal) return this.isStdOf(reciprocal.inputs[0]!, c);
    const pow = this.producer(r, 'Pow');
    if (!pow || !this.isConstant(pow.inputs[1], -0.5)) return false;
    const added = this.producer(pow.inputs[0], 'Add');
    return this.isMeanSquareOf(added ? this.besidesConstant(added) : pow.inputs[0], c);
  }

  /** Which operand of a Mul is the inverse std of the other (a normalisation written with rsqrt). */
  inverseStdOperand(mul: Node): 0 | 1 | undefined {
    const [a, b] = mul.inputs;
    if (this.isInverseStdOf(b, a)) return 1;
    if (this.isInverseStdOf(a, b)) return 0;
    return undefined;
  }

  /** Whether `s` is the std of c: sqrt(mean(c^2) + eps), sqrt(mean(c^2)) + eps or sqrt(mean(c^2)). */
  isStdOf(s: string, c: string): boolean {
    const sqrt = this.producer(s, 'Sqrt');
    if (sqrt) {
      const added = this.producer(sqrt.inputs[0], 'Add');
      const variance = added ? this.besidesConstant(added) : sqrt.inputs[0];
      return this.isMeanSquareOf(variance, c);
    }
    const added = this.producer(s, 'Add');
    const root = this.producer(added ? this.besidesConstant(added) : undefined, 'Sqrt');
    return !!root && this.isMeanSquareOf(root.inputs[0], c);
  }

  /** Whether `gate` is 1 + erf(...) or 1 + tanh(...) of an expression of `x` (GELU's gate). */
  isGeluGate(gate: string | undefined, x: string | undefined): boolean {
    const add = this.producer(gate, 'Add');
    if (!add || !x) return false;
    const [a, b] = add.inputs;
    const curve = this.isConstant(a, 1) ? b : this.isConstant(b, 1) ? a : undefined;
    const squash = this.producer(curve, 'Erf', 'Tanh');
    if (!squash) return false;
    // The squashed argument is x / sqrt 2 (erf) or sqrt(2/pi) (x + 0.044715 x^3) (tanh): x must
    // be among its inputs, through a few scalings, sums and powers.
    const seen = new Set<string>();
    const reaches = (name: string | undefined, depth: number): boolean => {
      if (!name || seen.has(name) || depth > 6) return false;
      if (name === x) return true;
      seen.add(name);
      const node = this.producer(name, 'Div', 'Mul', 'Add', 'Pow');
      return !!node && node.inputs.some((i) => reaches(i, depth + 1));
    };
    return reaches(squash.inputs[0], 0);
  }

  /** Which operand of a Mul is GELU's gate: x * (1 + erf(x/sqrt 2)), or (x * 0.5) * (1 + erf(...)). */
  geluGateOperand(mul: Node): 0 | 1 | undefined {
    const [a, b] = mul.inputs;
    const halfOf = (name: string | undefined): string | undefined => {
      const m = this.producer(name, 'Mul');
      return m ? this.besidesConstant(m) : undefined;
    };
    if (this.isGeluGate(b, a) || this.isGeluGate(b, halfOf(a))) return 1;
    if (this.isGeluGate(a, b) || this.isGeluGate(a, halfOf(b))) return 0;
    return undefined;
  }

  /** Which operand of a MatMul is attention probabilities (a Softmax output, moved), if one is. */
  attentionOperand(matmul: Node): 0 | 1 | undefined {
    const fromSoftmax = (name: string | undefined): boolean => {
      for (let depth = 0; name && depth < 8; depth++) {
        const node = this.producer(name);
        if (!node) return false;
        if (node.opType === 'Softmax') return true;
        if (!moves.has(node.opType)) return false;
        name = node.inputs[0];
      }
      return false;
    };
    if (fromSoftmax(matmul.inputs[0])) return 0;
    if (fromSoftmax(matmul.inputs[1])) return 1;
    return undefined;
  }

  /** Sub(x, ReduceMean(x)) read by a norm's Div (the centring of a written-out LayerNorm). */
  isNormCentre(sub: Node): boolean {
    const [x, m] = sub.inputs;
    const mean = this.producer(m, 'ReduceMean');
    if (!mean || mean.inputs[0] !== x) return false;
    const c = sub.outputs[0]!;
    return (this.index.consumers.get(c) ?? []).some((n) => (n.opType === 'Div' && n.inputs[0] === c && this.isNormStd(n)) || (n.opType === 'Mul' && this.inverseStdOperand(n) !== undefined));
  }

  /** The bias of a MatMul by a 2-D weight whose only reader adds a constant vector to it. */
  biasAfter(matmul: Node): { add: Node; bias: string } | undefined {
    if (!this.isConstant(matmul.inputs[1]) || this.index.constant(matmul.inputs[1]!)!.dims.length !== 2) return undefined;
    const readers = this.index.consumers.get(matmul.outputs[0]!) ?? [];
    const add = readers.length === 1 && readers[0]!.opType === 'Add' ? readers[0]! : undefined;
    if (!add) return undefined;
    const bias = add.inputs[0] === matmul.outputs[0] ? add.inputs[1] : add.inputs[0];
    const t = bias ? this.index.constant(bias) : undefined;
    // A vector over the output features (or a scalar): the same for every token and row.
    return t && t.dims.length <= 1 && !this.isGraphOutput(matmul.outputs[0]!) ? { add, bias: bias! } : undefined;
  }

  isGraphOutput(name: string): boolean {
    return this.index.graph.outputs.some((o) => o.name === name);
  }

  roleOf(node: Node): { role: TransformerRole; argument?: string } | undefined {
    switch (node.opType) {
      case 'Div':
        return this.isNormStd(node) ? { role: 'norm-std' } : undefined;
      case 'Sub':
        return this.isNormCentre(node) ? { role: 'norm-centre' } : undefined;
      case 'Mul': {
        const norm = this.inverseStdOperand(node);
        if (norm !== undefined) return { role: `norm-inv-std-${norm}` };
        const k = this.geluGateOperand(node);
        return k === undefined ? undefined : { role: `gelu-gate-${k}` };
      }
      case 'MatMul': {
        const k = this.attentionOperand(node);
        if (k !== undefined) return { role: `attention-${k}` };
        const biased = this.biasAfter(node);
        return biased ? { role: 'linear-bias', argument: biased.bias } : undefined;
      }
      case 'Add': {
        const afterLinear = node.inputs.some((name) => {
          const matmul = this.producer(name, 'MatMul');
          return !!matmul && this.biasAfter(matmul)?.add === node;
        });
        return afterLinear ? { role: 'bias-add' } : undefined;
      }
      default:
        return undefined;
    }
  }
}

/** Marks the nodes that play one of the roles above (a canonizer: the graph computes the same). */
export function markTransformerRoles(model: Model): Model {
  const patterns = new Patterns(new GraphIndex(model.graph));
  let marked = 0;
  const nodes = model.graph.nodes.map((node) => {
    if (roleOf(node)) return node;
    const mark = patterns.roleOf(node);
    if (!mark) return node;
    marked++;
    return { ...node, name: `${node.name || node.outputs[0]}${marker}${mark.role}${mark.argument === undefined ? '' : ` ${mark.argument}`}]` };
  });
  return marked === 0 ? model : { ...model, graph: { ...model.graph, nodes } };
}
