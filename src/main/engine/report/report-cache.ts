import { createHash } from 'node:crypto';
import type { Prediction } from '../../../shared/contract/classification';
import type { MetricOutcome } from '../../../shared/contract/evaluation';
import type { HeatMap } from '../../../shared/heatmap/reduce-channels';
import type { AttributeOutcome } from '../attribution/attribution-service';
import type { ImageSource } from '../image/image-source';
import type { RgbImage } from './render-images';

/**
 * Values kept by key, at most `limit` of them; the least recently used goes first. Only finished
 * values are kept (a computation that fails or is cancelled leaves nothing behind), so a cancelled
 * preview never poisons the next one.
 */
export class LruTable<T> {
  private readonly entries = new Map<string, T>();

  constructor(private readonly limit: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string): T | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    // Re-inserted: a Map iterates in insertion order, so the first key is the least recently used.
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: string, value: T): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
  }

  /** The value under `key`, computed (and kept) when absent. */
  async memo(key: string, compute: () => Promise<T>): Promise<T> {
    const kept = this.get(key);
    if (kept !== undefined) return kept;
    const value = await compute();
    this.set(key, value);
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * A key for everything a value depends on: SHA-256 of the parts as canonical JSON (object keys
 * sorted, so `{a, b}` and `{b, a}` are one key; typed arrays by content).
 */
export function cacheKey(parts: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(parts)).digest('hex');
}

export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (ArrayBuffer.isView(value)) return `"#${createHash('sha256').update(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)).digest('hex')}"`;
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** SHA-256 of a file's bytes: an image is known by its content, not its path (a replaced file is another image). */
export function contentSha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** An attribution as the report keeps it: the map drawn and the raw values the metrics read. */
export type KeptAttribution = Pick<AttributeOutcome, 'kind' | 'params' | 'dims' | 'data' | 'notes' | 'regions' | 'figures'> & { map: HeatMap };

/** A classification as the report keeps it: the top predictions and the number of classes. */
export interface KeptClassification {
  predictions: Prediction[];
  classes: number;
}

/**
 * What one engine keeps between reports, so that a report is rebuilt from what changed only: a
 * new title or summary re-renders the HTML in milliseconds, a new opacity redraws the figures
 * without attributing again, and an export after a preview computes nothing.
 *
 * Every key holds all the value depends on: the model by its SHA-256 and execution provider, the
 * image by its content (and name, which decides how it is decoded), the method, its parameters and
 * the class explained; a metric adds its name and the ground truth; a figure adds the display
 * settings. A changed file, model or parameter is therefore a new key, never a stale hit. It lives
 * in memory for the engine's lifetime (nothing is written to disk), bounded per table.
 */
export class ReportCache {
  /** Decoded images, by content and name. */
  readonly sources = new LruTable<ImageSource>(8);
  /** Model input rows, by model and image. */
  readonly inputs = new LruTable<Float32Array>(16);
  readonly classifications = new LruTable<KeptClassification>(64);
  readonly attributions = new LruTable<KeptAttribution>(48);
  readonly metrics = new LruTable<MetricOutcome>(256);
  /** Images scaled for the report, by content and size. */
  readonly displayImages = new LruTable<RgbImage>(16);
  /** Encoded figures (PNG), by everything drawn in them. */
  readonly figures = new LruTable<Uint8Array>(96);

  clear(): void {
    for (const table of [this.sources, this.inputs, this.classifications, this.attributions, this.metrics, this.displayImages, this.figures]) table.clear();
  }
}
