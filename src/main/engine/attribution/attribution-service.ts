import { createHash } from 'node:crypto';
import { describeZodError, LumenError } from '../../../shared/errors';
import { methodEntry, methodIds } from '../../../shared/methods/catalogue';
import { defaultMemoryBudgetMiB } from '../../../shared/memory-budget';
import type { CompileRequest } from '../autodiff/compile';
import type { Objective } from '../autodiff/objective';
import type { RuleSet } from '../autodiff/rule-set';
import { inputDims } from '../image/preprocess';
import type { LoadedModel } from '../model/model-registry';
import { findMethod } from '../methods/registry';
import type { Attribution, Figures, GraphOptions, MethodContext } from '../methods/method';
import { floatData, inputTensor } from '../runtime/model-tensors';
import type { SessionPool } from '../runtime/session-pool';
import { AttributionGraph, type RunOptions } from './attribution-graph';
import { assertFinite } from './baselines';
import type { GraphCache, StoredGraph } from './graph-cache';
import { pairedGraph } from './paired-graph';
import { PixelSpace } from './pixel-space';
import { resolveLayer, type SpatialLayer } from './layers';

export interface AttributeRequest {
  model: LoadedModel;
  /** One input row in the model's layout (no batch axis). */
  input: Float32Array;
  method: string;
  target?: number | undefined;
  params?: unknown;
  /** Repeat the computation and report the median time (benchmarks). */
  repeat?: number;
  signal?: AbortSignal | undefined;
  onProgress?: ((done: number, total: number) => void) | undefined;
}

export interface AttributeOutcome {
  method: string;
  target: number;
  targetLabel: string;
  objective: Objective | null;
  /** The parameters actually used, defaults and seed included. */
  params: Record<string, unknown>;
  kind: 'pixel' | 'map';
  dims: number[];
  data: Float32Array;
  figures: Figures;
  /** Median over repeats of the attribution itself, excluding model load and compilation. */
  computeMs: number;
  computeRunsMs: number[];
  /** Time to obtain compiled graphs (compile, or load from the cache) on the first run. */
  compileMs: number;
  graphSource: Array<'memory' | 'disk' | 'compiled'>;
  /** onnxruntime runs made by the first repetition. */
  graphRuns: number;
  notes: string[];
  segments?: Attribution['segments'];
  regions?: Attribution['regions'];
}

/**
 * Runs attribution methods on open models: resolves the method and its parameters, picks the
 * target (the top class unless given), provides compiled graphs from the cache, and times it all.
 */
export class AttributionService {
  /** Each open model's number of classes, as its first forward pass showed it. */
  private readonly classCounts = new WeakMap<LoadedModel, number>();
  /**
   * Each open model's CAM layers as resolved, by name ('' for the default): finding one walks the
   * model's graph (0.8 ms on ResNet-18), which every Grad-CAM call and every chunk of a batch repeated.
   */
  private readonly layers = new WeakMap<LoadedModel, Map<string, Promise<SpatialLayer>>>();

  constructor(
    private readonly pool: SessionPool,
    private readonly cache: GraphCache,
    /** Memory one run may use on the CPU, in MiB (the settings' memory budget). */
    private readonly cpuBudgetMiB: number = defaultMemoryBudgetMiB.cpu,
  ) {}

  /** The method and its catalogue entry, or the error listing the methods there are. */
  methodFor(id: string): { method: NonNullable<ReturnType<typeof findMethod>>; entry: NonNullable<ReturnType<typeof methodEntry>> } {
    const method = findMethod(id);
    const entry = methodEntry(id);
    if (!method || !entry) throw new LumenError('invalid-argument', `Unknown attribution method "${id}".`, `Available: ${methodIds.join(', ')}.`);
    return { method, entry };
  }

  async attribute(request: AttributeRequest): Promise<AttributeOutcome> {
    const { method, entry } = this.methodFor(request.method);
    const parsed = method.schema.safeParse(request.params ?? {});
    if (!parsed.success) {
      throw new LumenError('invalid-argument', `Invalid parameters for ${request.method}: ${describeZodError(parsed.error)}.`, `See \`lumen methods\` for the parameters of ${request.method}.`);
    }
    const params = parsed.data as Record<string, unknown>;
    const { model, input } = request;
    const card = model.resolved.card;
    const dims = inputDims(card, 1);
    const target = await this.resolveTarget(model, input, request.target);

    let compileMs = 0;
    const sources: AttributeOutcome['graphSource'] = [];
    const notes = new Set<string>();
    const graphs: AttributionGraph[] = [];
    const ctx = this.methodContext(model, target, { signal: request.signal, onRows: request.onProgress }, (graph, source, ms) => {
      compileMs += ms;
      sources.push(source);
      graph.graph.notes.forEach((n) => notes.add(n));
      if (graph.providerNote) notes.add(graph.providerNote);
      graphs.push(graph);
    });

    const repeat = Math.max(1, request.repeat ?? 1);
    const runs: number[] = [];
    let result: Awaited<ReturnType<typeof method.attributeMany>> | undefined;
    let firstRuns = 0;
    let firstCompileMs = 0;
    for (let r = 0; r < repeat; r++) {
      const before = compileMs;
      const runsBefore = graphs.reduce((n, g) => n + g.runs, 0);
      const t0 = performance.now();
      result = await method.attributeMany(ctx, [input], params);
      runs.push(performance.now() - t0 - (compileMs - before));
      if (r === 0) {
        firstRuns = graphs.reduce((n, g) => n + g.runs, 0) - runsBefore;
        firstCompileMs = compileMs;
      }
    }
    const [attribution] = result!;
    attribution!.notes?.forEach((n) => notes.add(n));
    const sorted = [...runs].sort((a, b) => a - b);
    return {
      method: request.method,
      target,
      targetLabel: card.output.labels[target] ?? `class ${target}`,
      objective: typeof params['objective'] === 'string' ? (params['objective'] as Objective) : null,
      params,
      kind: entry.output,
      dims: entry.output === 'pixel' ? dims : [1, 1, card.input.height, card.input.width],
      data: attribution!.map,
      figures: attribution!.figures,
      computeMs: sorted[Math.floor((sorted.length - 1) / 2)]!,
      computeRunsMs: runs,
      compileMs: firstCompileMs,
      graphSource: sources.slice(0, graphs.length / repeat),
      graphRuns: firstRuns,
      notes: [...notes],
      ...(attribution!.segments ? { segments: attribution!.segments } : {}),
      ...(attribution!.regions ? { regions: attribution!.regions } : {}),
    };
  }

  /** A compiled graph for this model and configuration, with a pooled session. */
  async graphFor(
    model: LoadedModel,
    rules: RuleSet,
    objective: Objective,
    options: GraphOptions,
  ): Promise<{ graph: AttributionGraph; source: 'memory' | 'disk' | 'compiled' }> {
    const card = model.resolved.card;
    const dims = inputDims(card, 1);
    const request = {
      input: { name: card.input.name, dims },
      output: card.output.name,
      objective,
      ...(options.taps ? { taps: options.taps } : {}),
      ...(options.inputGradient === false || options.masked ? { inputGradient: false } : {}),
      ...(options.masked ? { maskedInput: { layout: card.input.layout } } : {}),
    };
    const key = { modelSha256: model.sha256, ruleSet: rules.id, request };
    const compile = (): CompileRequest => ({ ...request, model: model.model, rules });
    const paired = options.pairedWith;
    const ruleIds = paired ? `${rules.id}+${paired.id}` : rules.id;
    const graphHash = createHash('sha256').update(`${model.sha256}|${ruleIds}|${JSON.stringify(request)}`).digest('hex');
    const sessionKey = { sha256: graphHash, provider: model.executionProvider.requested, variant: 'attribution' };
    const pairedKey = paired ? { ...key, ruleSet: paired.id } : undefined;
    const load = async (): Promise<{ graph: StoredGraph; source: 'memory' | 'disk' | 'compiled' }> => {
      const first = await this.cache.get(key, compile);
      if (!paired || !pairedKey) return first;
      const second = await this.cache.get(pairedKey, () => ({ ...compile(), rules: paired }));
      const source = first.source === 'compiled' || second.source === 'compiled' ? 'compiled' : first.source === 'disk' || second.source === 'disk' ? 'disk' : 'memory';
      return { graph: pairedGraph(first.graph, second.graph, `${paired.id}/`), source };
    };
    let { graph, source } = await load();
    let pooled;
    try {
      pooled = await this.pool.acquire(sessionKey, graph.bytes);
    } catch (error) {
      // A cached graph onnxruntime refuses (written by an older Lumen, or damaged) is compiled anew.
      if (source === 'compiled') throw error;
      await this.cache.invalidate(key);
      if (pairedKey) await this.cache.invalidate(pairedKey);
      ({ graph, source } = await load());
      pooled = await this.pool.acquire(sessionKey, graph.bytes);
    }
    // The graph's own session may land elsewhere than the model's (an accelerator that took the
    // model but refused this graph): it runs, and is budgeted, where it really is, and says so.
    const used = pooled.report.used;
    const attribution = new AttributionGraph(graph, pooled.session, dims, used, card.input.layout, this.cpuBudgetMiB);
    if (used !== model.executionProvider.used) {
      attribution.providerNote = `The attribution graph runs on ${used.toUpperCase()}, not on ${model.executionProvider.used.toUpperCase()} like the model's forward pass (${pooled.report.fallbackReason ?? 'no reason given'}).`;
    }
    return { graph: attribution, source };
  }

  /**
   * A method's attributions of several inputs for one target, each a flat map (robustness metrics
   * attribute many perturbed copies of an input). Inputs go to the method in chunks, so that its
   * batching works without holding every path of every copy at once.
   */
  async attributeInputs(model: LoadedModel, inputs: Float32Array[], methodId: string, target: number, params: Record<string, unknown>, runOptions: RunOptions): Promise<Float32Array[]> {
    const { method } = this.methodFor(methodId);
    const parsed = method.schema.safeParse(params);
    if (!parsed.success) throw new LumenError('invalid-argument', `Invalid parameters for ${methodId}: ${describeZodError(parsed.error)}.`);
    const ctx = this.methodContext(model, target, runOptions, () => undefined);
    const chunk = 16;
    const maps: Float32Array[] = [];
    for (let i = 0; i < inputs.length; i += chunk) {
      if (runOptions.signal?.aborted) throw new LumenError('cancelled', 'The evaluation was cancelled.');
      for (const a of await method.attributeMany(ctx, inputs.slice(i, i + chunk), parsed.data)) maps.push(a.map);
    }
    return maps;
  }

  /**
   * Several images' attributions, each for its own target (an audit's batch): in shared runs when
   * the method declares `perInputTargets`, else one image at a time. Returns the maps and the
   * parameters used (defaults filled in).
   */
  async attributeImages(model: LoadedModel, inputs: Float32Array[], targets: number[], methodId: string, params: unknown, runOptions: RunOptions): Promise<{ maps: Float32Array[]; params: Record<string, unknown> }> {
    const { method } = this.methodFor(methodId);
    const parsed = method.schema.safeParse(params ?? {});
    if (!parsed.success) {
      throw new LumenError('invalid-argument', `Invalid parameters for ${methodId}: ${describeZodError(parsed.error)}.`, `See \`lumen methods\` for the parameters of ${methodId}.`);
    }
    const size = inputDims(model.resolved.card, 1).reduce((a, b) => a * b, 1);
    inputs.forEach((input) => {
      if (input.length !== size) throw new LumenError('invalid-argument', `The input has ${input.length} values; the model expects ${size}.`);
      assertFinite(input, 'The input');
    });
    if (method.perInputTargets && inputs.length > 0) {
      const ctx = this.methodContext(model, targets[0]!, runOptions, () => undefined, targets);
      return { maps: (await method.attributeMany(ctx, inputs, parsed.data)).map((a) => a.map), params: parsed.data as Record<string, unknown> };
    }
    const maps: Float32Array[] = [];
    for (const [i, input] of inputs.entries()) {
      const [attribution] = await method.attributeMany(this.methodContext(model, targets[i]!, runOptions, () => undefined), [input], parsed.data);
      maps.push(attribution!.map);
    }
    return { maps, params: parsed.data as Record<string, unknown> };
  }

  /** What a method runs with: the model's compiled graphs (reported through `onGraph`), pixel space, layers. */
  private methodContext(
    model: LoadedModel,
    target: number,
    runOptions: RunOptions,
    onGraph: (graph: AttributionGraph, source: 'memory' | 'disk' | 'compiled', ms: number) => void,
    targets?: number[],
  ): MethodContext {
    const card = model.resolved.card;
    return {
      inputDims: inputDims(card, 1),
      target,
      ...(targets ? { targets } : {}),
      pixels: new PixelSpace(card),
      runOptions,
      method: (id) => findMethod(id),
      layer: (name) => this.layerOf(model, name),
      model,
      graph: async (rules: RuleSet, objective: Objective, options = {}) => {
        const t0 = performance.now();
        const { graph, source } = await this.graphFor(model, rules, objective, options);
        onGraph(graph, source, performance.now() - t0);
        return graph;
      },
    };
  }

  /** A CAM layer of the model (the one named, or the default), resolved once per model; a failure is not kept. */
  private layerOf(model: LoadedModel, name: string | undefined): Promise<SpatialLayer> {
    let known = this.layers.get(model);
    if (!known) this.layers.set(model, (known = new Map()));
    const key = name ?? '';
    let layer = known.get(key);
    if (!layer) {
      layer = resolveLayer(model, name);
      layer.catch(() => known.delete(key));
      known.set(key, layer);
    }
    return layer;
  }

  /** Checks an input row and returns the target: the one asked for (if in range) or the top class. */
  async resolveTarget(model: LoadedModel, input: Float32Array, requested: number | undefined): Promise<number> {
    const dims = inputDims(model.resolved.card, 1);
    const size = dims.reduce((a, b) => a * b, 1);
    if (input.length !== size) {
      throw new LumenError('invalid-argument', `The input has ${input.length} values; the model expects [${dims.join(', ')}] = ${size}.`, 'Give a tensor shaped like the model input (see `lumen info`).');
    }
    assertFinite(input, 'The input');
    // A target given by the caller needs only the class count to be checked: once a forward pass
    // has shown it, no other is run for that (a warm Grad-CAM costs about as much as one).
    const known = this.classCounts.get(model);
    const scores = requested !== undefined && known !== undefined ? null : await this.scores(model, input, dims);
    const target = requested ?? argmax(scores!);
    const classCount = scores?.length ?? known!;
    if (!Number.isInteger(target) || target < 0 || target >= classCount) {
      throw new LumenError('invalid-argument', `Target class ${target} is out of range: the model has ${classCount} classes (0 to ${classCount - 1}).`);
    }
    return target;
  }

  /** The model's class scores for one input row. */
  async classScores(model: LoadedModel, input: Float32Array): Promise<Float32Array> {
    return this.scores(model, input, inputDims(model.resolved.card, 1));
  }

  private async scores(model: LoadedModel, input: Float32Array, dims: number[]): Promise<Float32Array> {
    const card = model.resolved.card;
    const out = await model.session.run({ [card.input.name]: inputTensor(model.session, card.input.name, input, dims) }, [card.output.name]);
    const scores = floatData(out[card.output.name]!, card.output.name);
    this.classCounts.set(model, scores.length);
    return scores;
  }

}

function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
