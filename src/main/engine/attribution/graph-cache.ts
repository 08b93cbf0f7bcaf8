import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { compileAttributionGraph, type CompiledGraph, type CompileRequest } from '../autodiff/compile';
import { decodeModel } from '../onnx/decode';
import { encodeModel } from '../onnx/encode';

/** Bump when the compiler's output changes, so stale cached graphs are never used. */
export const compilerVersion = 6;

/** A compiled graph as stored: the ONNX bytes plus what the runtime needs to use them. */
export interface StoredGraph extends Omit<CompiledGraph, 'model'> {
  bytes: Uint8Array;
}

const Meta = z.object({
  io: z.object({
    image: z.string(),
    seed: z.string(),
    reference: z.string().optional(),
    referenceObjective: z.string().optional(),
    objective: z.string(),
    inputGradient: z.string().optional(),
    taps: z.array(z.object({ tensor: z.string(), value: z.string(), gradient: z.string(), dims: z.array(z.number()) })),
    scores: z.string(),
    masked: z.object({ image: z.string(), baseline: z.string(), mask: z.string(), weightedMasks: z.string() }).optional(),
  }),
  batchable: z.boolean(),
  classCount: z.number(),
  notes: z.array(z.string()),
  activationElements: z.number(),
});

export interface GraphKey {
  modelSha256: string;
  ruleSet: string;
  request: Omit<CompileRequest, 'model' | 'rules'>;
}

export function graphKeyHash(key: GraphKey): string {
  return createHash('sha256').update(JSON.stringify({ compilerVersion, ...key })).digest('hex').slice(0, 32);
}

/**
 * Compiled graphs, cached on disk by (model hash, rule set, taps, objective, input): compiling
 * probes the model several times, so it is done once per model and configuration, ever.
 * A damaged cache entry is recompiled, never trusted.
 */
export class GraphCache {
  private readonly memory = new Map<string, Promise<{ graph: StoredGraph; source: 'memory' | 'disk' | 'compiled' }>>();
  /** Bytes of the graphs held in memory, by hash, once loaded. */
  private readonly sizes = new Map<string, number>();
  private readonly maxMemoryBytes: number;

  constructor(
    private readonly dir: string | null,
    options: { maxMemoryBytes?: number } = {},
  ) {
    this.maxMemoryBytes = options.maxMemoryBytes ?? Number.POSITIVE_INFINITY;
  }

  /** Bytes of compiled graphs held in memory now. */
  get memoryBytes(): number {
    let total = 0;
    for (const n of this.sizes.values()) total += n;
    return total;
  }

  get(key: GraphKey, compile: () => CompileRequest): Promise<{ graph: StoredGraph; source: 'memory' | 'disk' | 'compiled' }> {
    const hash = graphKeyHash(key);
    const hit = this.memory.get(hash);
    if (hit) {
      // Most recently used last: the Map's order is the eviction order.
      this.memory.delete(hash);
      this.memory.set(hash, hit);
      return hit.then((h) => ({ graph: h.graph, source: 'memory' as const }));
    }
    const entry = this.load(hash, compile);
    entry.then(
      (loaded) => {
        if (this.memory.get(hash) !== entry) return;
        this.sizes.set(hash, loaded.graph.bytes.byteLength);
        this.evict(hash);
      },
      () => {
        this.memory.delete(hash);
        this.sizes.delete(hash);
      },
    );
    this.memory.set(hash, entry);
    return entry;
  }

  /** Drops the least recently used loaded graphs beyond the memory budget (never the one just loaded). */
  private evict(keep: string): void {
    let total = this.memoryBytes;
    for (const hash of this.memory.keys()) {
      if (total <= this.maxMemoryBytes) break;
      const size = this.sizes.get(hash);
      if (hash === keep || size === undefined) continue;
      this.memory.delete(hash);
      this.sizes.delete(hash);
      total -= size;
    }
  }

  /** Forgets an entry (memory and disk), e.g. after onnxruntime refused to load it. */
  async invalidate(key: GraphKey): Promise<void> {
    const hash = graphKeyHash(key);
    this.memory.delete(hash);
    this.sizes.delete(hash);
    if (this.dir) await Promise.all(['onnx', 'json'].map((ext) => rm(join(this.dir!, `${hash}.${ext}`), { force: true })));
  }

  private async load(hash: string, compile: () => CompileRequest): Promise<{ graph: StoredGraph; source: 'disk' | 'compiled' }> {
    if (this.dir) {
      try {
        const [bytes, metaText] = await Promise.all([readFile(join(this.dir, `${hash}.onnx`)), readFile(join(this.dir, `${hash}.json`), 'utf8')]);
        const meta = Meta.parse(JSON.parse(metaText));
        decodeModel(new Uint8Array(bytes)); // a truncated file fails here and is recompiled
        return { graph: { ...meta, bytes: new Uint8Array(bytes) }, source: 'disk' };
      } catch {
        // Missing or damaged: compile below.
      }
    }
    const { model, ...meta } = await compileAttributionGraph(compile());
    const bytes = encodeModel(model);
    if (this.dir) await this.store(hash, bytes, meta).catch(() => undefined);
    return { graph: { ...meta, bytes }, source: 'compiled' };
  }

  private async store(hash: string, bytes: Uint8Array, meta: Omit<StoredGraph, 'bytes'>): Promise<void> {
    await mkdir(this.dir!, { recursive: true });
    // Write then rename: a crash never leaves a half-written graph under the final name.
    const tmp = `.${hash}.${process.pid}.tmp`;
    await writeFile(join(this.dir!, `${tmp}.onnx`), bytes);
    await writeFile(join(this.dir!, `${tmp}.json`), JSON.stringify(meta));
    await rename(join(this.dir!, `${tmp}.json`), join(this.dir!, `${hash}.json`));
    await rename(join(this.dir!, `${tmp}.onnx`), join(this.dir!, `${hash}.onnx`));
  }
}
