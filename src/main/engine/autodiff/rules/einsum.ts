import { documented, type BackwardContext, type OpRule, type RuleFamily } from '../rule';

/** An Einsum equation with every ellipsis spelled out as letters: one term per operand, and the output's. */
interface Terms {
  inputs: string[][];
  output: string[];
}

/**
 * Parses an equation (explicit "->" or implicit output; "..." for broadcast axes) given the
 * operands' ranks. Each ellipsis becomes letters the equation does not use, aligned to the right
 * as Einsum broadcasts them, so every term names each axis of its operand.
 */
export function parseEinsum(equation: string, ranks: number[]): Terms {
  const eq = equation.replace(/\s/g, '');
  const [lhs, rhs] = eq.includes('->') ? (eq.split('->') as [string, string]) : [eq, undefined];
  const raw = lhs.split(',');
  const unused = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'].filter((c) => !eq.includes(c));
  const explicit = raw.map((t) => t.replace('...', '').length);
  const span = Math.max(0, ...raw.map((t, i) => (t.includes('...') ? ranks[i]! - explicit[i]! : 0)));
  const ellipsis = unused.slice(0, span);
  const expand = (t: string, count: number): string[] => {
    const at = t.indexOf('...');
    return at < 0 ? [...t] : [...t.slice(0, at), ...ellipsis.slice(span - count), ...t.slice(at + 3)];
  };
  const inputs = raw.map((t, i) => expand(t, ranks[i]! - explicit[i]!));
  let output: string[];
  if (rhs !== undefined) output = expand(rhs, span);
  else {
    // Implicit output: the ellipsis, then the letters that occur once, in alphabetical order.
    const counts = new Map<string, number>();
    for (const l of raw.join('').replace(/\.\.\./g, '')) counts.set(l, (counts.get(l) ?? 0) + 1);
    output = [...ellipsis, ...[...counts].filter(([, n]) => n === 1).map(([l]) => l).sort()];
  }
  return { inputs, output };
}

/**
 * The gradient of operand i is an Einsum of the output's gradient with the other operands, onto
 * operand i's letters. Letters only operand i has (summed in the forward) are broadcast back;
 * axes operand i broadcast (size 1 where the others have more) are summed back.
 */
function operandGradient(ctx: BackwardContext, g: string, terms: Terms, i: number): string {
  const e = ctx.emit;
  const own = terms.inputs[i]!;
  if (new Set(own).size !== own.length) ctx.unsupported('Einsum with an index repeated in one operand (a diagonal)');
  const others = ctx.node.inputs.map((name, k) => ({ name, term: terms.inputs[k]! })).filter((_, k) => k !== i);
  const available = new Set([...terms.output, ...others.flatMap((o) => o.term)]);
  const kept = own.filter((l) => available.has(l));
  const equation = `${[terms.output, ...others.map((o) => o.term)].map((t) => t.join('')).join(',')}->${kept.join('')}`;
  let grad = e.op('Einsum', [g, ...others.map((o) => o.name)], { equation });
  const x = ctx.input(i);
  const missing = own.flatMap((l, k) => (available.has(l) ? [] : [k]));
  if (missing.length > 0) grad = e.expandLike(e.unsqueeze(grad, missing), x);
  const size = new Map<string, number>();
  ctx.node.inputs.forEach((name, k) => terms.inputs[k]!.forEach((l, a) => size.set(l, Math.max(size.get(l) ?? 1, ctx.shape(name)[a]!))));
  const dims = ctx.shape(x);
  const broadcast = own.flatMap((l, k) => (dims[k] === 1 && size.get(l)! > 1 && !missing.includes(k) ? [k] : []));
  return broadcast.length > 0 ? e.reduceSum(grad, broadcast, true) : grad;
}

const einsum: OpRule = {
  differentiable: 'all',
  backward(ctx, [g]) {
    const terms = parseEinsum(ctx.attrs.string('equation', ''), ctx.node.inputs.map((name) => ctx.shape(name).length));
    return ctx.node.inputs.map((_, i) => (ctx.needsGrad(i) ? operandGradient(ctx, g!, terms, i) : undefined));
  },
};

export const einsumRules: RuleFamily = {
  title: 'Einsum',
  summary: 'Any operand may depend on the input; the gradient of each is another Einsum.',
  rules: {
    Einsum: documented(einsum, {
      forms: 'explicit ("->") or implicit output, "..." broadcasting, any number of operands',
      note: 'not with an index repeated within one operand (a diagonal)',
    }),
  },
};
