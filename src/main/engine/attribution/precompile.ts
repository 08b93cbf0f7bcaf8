import { inputDims } from '../image/preprocess';
import type { MethodContext } from '../methods/method';
import { findMethod } from '../methods/registry';
import type { LoadedModel } from '../model/model-registry';
import type { AttributionService } from './attribution-service';
import type { ForegroundActivity } from './foreground-activity';
import { resolveLayer } from './layers';
import { PixelSpace } from './pixel-space';

/**
 * The methods whose graphs are made ready when the workstation opens a model: Grad-CAM, the
 * inspector's first method, at its default layer, and Integrated Gradients, whose gradient graph
 * the gradient, gradient × input and SmoothGrad methods share.
 */
export const precompiledMethods = ['grad-cam', 'integrated-gradients'] as const;

/** Runs of each graph on a blank row before a request may use it (see DefaultGraphs.prepare). */
const warmRuns = 2;

/** What the dry run's graph() throws once the graph is ready: the method has said what it needs. */
class GraphReady extends Error {}

/**
 * Makes the default methods' compiled graphs (compiled, or loaded from the disk cache) and their
 * onnxruntime sessions ready in the background, so that the first explanation of a model does not
 * wait for them. It uses the same caches as a request, which keep the promise of a graph being
 * made: a request that arrives first waits on that promise rather than making the graph again.
 */
export class DefaultGraphs {
  private readonly warming = new WeakMap<LoadedModel, Promise<void>>();
  private stopped = false;

  constructor(
    private readonly attributions: AttributionService,
    /** Each step waits until no request a person waits on is in flight. */
    private readonly foreground: ForegroundActivity,
  ) {}

  /**
   * Starts making the graphs of `model` ready once the current request has been answered (a
   * timer, not a microtask: opening a model must not wait for this). Once per model; failures are
   * dropped, since a request for the method reports its own error.
   */
  warm(model: LoadedModel): Promise<void> {
    const known = this.warming.get(model);
    if (known) return known;
    const done = new Promise<void>((resolve) => setTimeout(resolve, 0)).then(() => this.warmNow(model));
    this.warming.set(model, done);
    return done;
  }

  /** Graphs not started yet are not made (the engine is closing). */
  stop(): void {
    this.stopped = true;
  }

  private async warmNow(model: LoadedModel): Promise<void> {
    await this.foreground.idle();
    if (this.stopped) return;
    // One forward pass tells the service the class count, so a request naming its class needs none.
    await this.attributions.classScores(model, new Float32Array(inputSize(model))).catch(() => undefined);
    // One after the other: each compile is CPU work that would otherwise compete with the rest.
    for (const id of precompiledMethods) {
      await this.foreground.idle();
      if (this.stopped) return;
      await this.prepare(model, id).catch(() => undefined);
    }
  }

  /**
   * Runs the method with a context whose graph() makes the graph ready, runs it twice on a blank
   * row and then stops the method. onnxruntime's first run of a session allocates and prepares
   * its kernels and plans its memory pattern (several times the cost of the next runs); the
   * second first touches the pattern's memory, still slow on a large model (ViT-B/16's gradient
   * graph: 726 ms, then 300-320). After two, the person's first click is a warm run. Asking the
   * method itself, rather than repeating which rule set, objective and taps it uses, keeps the
   * graphs made here the very ones its requests look up.
   */
  private async prepare(model: LoadedModel, id: string): Promise<void> {
    const method = findMethod(id);
    if (!method) return;
    const card = model.resolved.card;
    const dims = inputDims(card, 1);
    const blank = new Float32Array(inputSize(model));
    const ctx: MethodContext = {
      inputDims: dims,
      target: 0,
      pixels: new PixelSpace(card),
      runOptions: {},
      method: findMethod,
      layer: (name) => resolveLayer(model, name),
      model,
      graph: async (rules, objective, options = {}) => {
        const { graph } = await this.attributions.graphFor(model, rules, objective, options);
        if (!options.masked) for (let run = 0; run < warmRuns; run++) await graph.run([{ input: blank }], graph.seedFor(0));
        throw new GraphReady();
      },
    };
    try {
      await method.attributeMany(ctx, [blank], method.schema.parse({}));
    } catch (error) {
      if (!(error instanceof GraphReady)) throw error;
    }
  }
}

function inputSize(model: LoadedModel): number {
  return inputDims(model.resolved.card, 1).reduce((a, b) => a * b, 1);
}
