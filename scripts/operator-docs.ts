import type { RuleFamily } from '../src/main/engine/autodiff/rule';
import { ruleFamilies, zeroGradientFamily } from '../src/main/engine/autodiff/rules';

/**
 * docs/operators.md, generated from the rule table so that it cannot drift from the code: the
 * families, operators, forms and notes come from the rules themselves; the prose around them is
 * here. `npx tsx scripts/generate-operator-docs.ts` rewrites the file, and a test fails when the
 * committed file differs from what this returns.
 */

const intro = `# Operator coverage of the attribution compiler

<!-- Generated from the rule table (src/main/engine/autodiff/rules/) by scripts/generate-operator-docs.ts. Do not edit: run \`npx tsx scripts/generate-operator-docs.ts\`. -->

Lumen computes gradients by compiling a model's ONNX graph into a forward-and-backward graph made
only of standard ONNX operators (so stock onnxruntime runs it on any execution provider). Each
operator's backward is one entry of the rule table in \`src/main/engine/autodiff/rules/\`; every
entry is checked against central finite differences, in float64 wherever onnxruntime has double
kernels for the operator: one or more cases per operator and per form listed below
(\`test/main/engine/autodiff/op-gradients.test.ts\`, where a test fails if an operator has no case),
and property tests on random shapes, broadcasting, axes, bounds and window geometry
(\`broadcast-gradients\`, \`shape-gradients\` and \`window-gradients.test.ts\` beside it). Whole
models are checked against PyTorch autograd.

An operator without a backward is a compile error that names the operator and the node; gradient
methods are then unavailable for that model, and the perturbation methods still work.`;

const opsets = `## Opsets

Models with default-domain opsets 7 to 21 are accepted. Opsets 7 to 10 (old TorchScript exports)
are first read as opset 11: the attributes of Pad, Slice and Clip become inputs, Upsample becomes
Resize. The compiled graph uses opset 16 or the model's own if newer (16 is the first whose
ScatterElements can add). Dropout is replaced by an identity at inference. Before opset 13 the axes
of ReduceSum, Squeeze and Unsqueeze and the sizes of Split are attributes: the compiler turns them
into the inputs of the opset-13 forms first, so the rules above see those forms.

Before compiling, half-precision models (float16, bfloat16) are computed in float32 on the same
weights, and quantised (QDQ) models are dequantised, the quantisation of activations passed
straight through; each result says so.`;

const ruleSets = `## Rule sets

Rule sets override single entries (the compiler itself never changes): guided backprop and
DeconvNet (Relu and Clip(0, max)), DeepLIFT rescale (with the forward pass also run on the
reference: the rescale rule on every nonlinear elementwise operator, Captum's max-pooling rule
(or, with \`maxPool: "gradient"\`, MaxPool as a plain gradient, as Captum outputs it when a ReLU
feeds the MaxPool: [the difference](deeplift-maxpool.md)), and, beyond Captum, exact splits for products, quotients, matrix products of activations and
Softmax, with LayerNormalization and InstanceNormalization decomposed into elementary operations
first, so that summation-to-delta holds on squeeze-excitation, SiLU, ConvNeXt and ViT models
too), and LRP (Zennit's epsilon, z+, alpha-beta, gamma, z-box, flat and w-square rules on
Conv/Gemm/MatMul with constant weights; Zennit's Norm rule, a proportional split, on sums and
averaging; signal-takes-all on products; pass-through on activations), with the composites
epsilon-plus-flat, epsilon-plus, epsilon-alpha2-beta1-flat, epsilon-alpha2-beta1,
epsilon-gamma-box and epsilon, after folding constants hidden behind Identity, Cast and Constant
nodes and merging BatchNormalization into the preceding convolution or Gemm.`;

function cell(text: string | undefined): string {
  return text ? text.replaceAll('|', '\\|') : '—';
}

function familySection(family: RuleFamily): string {
  const rows = Object.entries(family.rules)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, rule]) => `| ${op} | ${cell(rule.doc.forms)} | ${rule.doc.note ? cell(rule.doc.note) : ''} |`);
  return [`### ${family.title}`, '', family.summary, '', '| operator | forms accepted | notes |', '|---|---|---|', ...rows].join('\n');
}

export function renderOperatorDocs(): string {
  const count = ruleFamilies.reduce((n, f) => n + Object.keys(f.rules).length, 0);
  const differentiable = [
    '## Differentiable operators',
    '',
    `${count} operators in ${ruleFamilies.length} families. "Forms accepted" lists the forms of an operator the rule ` +
      'differentiates where its signature differs across opsets 11 to 21 (an attribute that became an input, a new ' +
      'attribute or mode); a dash means it has one form.',
    ...ruleFamilies.map((f) => `\n${familySection(f)}`),
  ].join('\n');
  const zero = [`## ${zeroGradientFamily.title}`, '', `${Object.keys(zeroGradientFamily.rules).sort().join(', ')}: ${lowerFirst(zeroGradientFamily.summary)}`].join('\n');
  return [intro, differentiable, zero, opsets, ruleSets].join('\n\n') + '\n';
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
