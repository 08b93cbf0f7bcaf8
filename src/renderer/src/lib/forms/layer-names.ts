/**
 * Short names for a model's feature maps, for the layer picker. ONNX tensor names are long and
 * mostly alike: exporters repeat the model's name in front ("MobilenetV2_…", "/features/features.")
 * and the same ending behind ("…/Relu_output_0"), PyTorch repeats each parent scope ("/layer1/layer1.0/"),
 * and converted TensorFlow graphs join the names of every fused op with ";". A short name keeps what
 * tells the layers apart: the first fused name, without repeated scopes and without the prefix and
 * suffix every layer shares, cut at a separator so no word is split.
 */

/** Characters a name is cut at: path, scope and word separators of the usual exporters. */
const separator = /[/.:_\-]/;

/** The tensor's own name: converted TensorFlow graphs append the names of the ops fused into it after ";". */
function ownName(name: string): string {
  const first = name.split(';')[0] ?? '';
  return first.length > 0 ? first : name;
}

/**
 * PyTorch's exporter writes the module path as scopes that repeat their parent
 * ("/layer1/layer1.0/conv1/Conv"): a scope the next one starts with ("layer1" before "layer1.0") says nothing more.
 */
function withoutRepeatedScopes(name: string): string {
  const scopes = name.split('/');
  return scopes.filter((scope, i) => !(scope.length > 0 && scopes[i + 1]?.startsWith(`${scope}.`))).join('/');
}

/** The length of the longest prefix all names share that ends just after a separator. */
function commonPrefixLength(names: readonly string[]): number {
  const first = names[0] ?? '';
  let length = 0;
  while (length < first.length && names.every((n) => n[length] === first[length])) length++;
  // Back off to the last separator inside the shared part, so "features.10"/"features.11" keep "10"/"11".
  while (length > 0 && !separator.test(first[length - 1]!)) length--;
  return length;
}

/** The length of the longest suffix all names share that starts with a separator. */
function commonSuffixLength(names: readonly string[]): number {
  const reversed = names.map((n) => [...n].reverse().join(''));
  const first = reversed[0] ?? '';
  let length = 0;
  while (length < first.length && reversed.every((n) => n[length] === first[length])) length++;
  while (length > 0 && !separator.test(first[length - 1]!)) length--;
  return length;
}

/**
 * A short name for each layer, in the same order: the shared prefix and suffix elided, and, where two
 * layers would still read the same (a convolution and the activation fused after it), the op added,
 * then a number. The full name stays the value; this is only what the picker shows.
 */
export function shortLayerNames(layers: ReadonlyArray<{ name: string; op: string }>): string[] {
  const own = layers.map((l) => withoutRepeatedScopes(ownName(l.name)));
  let short = own;
  if (own.length > 1) {
    const prefix = commonPrefixLength(own);
    const suffix = commonSuffixLength(own.map((n) => n.slice(prefix)));
    // Every name keeps at least one character between what is elided.
    const keep = (p: number, s: number): boolean => own.every((n) => n.length - p - s > 0);
    const [p, s] = keep(prefix, suffix) ? [prefix, suffix] : keep(prefix, 0) ? [prefix, 0] : [0, 0];
    short = own.map((n) => n.slice(p, n.length - s));
  }
  return disambiguate(short, layers);
}

function countOf(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

function disambiguate(short: string[], layers: ReadonlyArray<{ op: string }>): string[] {
  const byName = countOf(short);
  const withOp = short.map((s, i) => ((byName.get(s) ?? 0) > 1 ? `${s} (${layers[i]!.op})` : s));
  const byOp = countOf(withOp);
  const seen = new Map<string, number>();
  return withOp.map((s) => {
    if ((byOp.get(s) ?? 0) <= 1) return s;
    const n = (seen.get(s) ?? 0) + 1;
    seen.set(s, n);
    return `${s} #${n}`;
  });
}

/**
 * A layer's shape as channels, height and width ("[1280, 7, 7]"), whatever its layout; a
 * transformer's token layer says it is one and how many tokens it holds ("[768, 14, 14] of 197 tokens").
 */
export function layerShapeText(layer: { channels: number; height: number; width: number; layout?: string; shape?: readonly number[] }): string {
  const grid = `[${layer.channels}, ${layer.height}, ${layer.width}]`;
  return layer.layout === 'tokens' && layer.shape ? `${grid} of ${layer.shape[1]} tokens` : grid;
}
