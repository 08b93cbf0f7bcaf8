import type { Explanation } from './explanation';

/** What the inspector showed for an image: its explanations, the one shown, those in the comparison. */
export interface RememberedExplanations {
  explanations: Explanation[];
  activeKey: string | null;
  compareKeys: string[];
}

/** The session's bound on remembered maps: a 224x224 explanation is about 0.8 MB with its display map. */
export const explanationMemoryMaxBytes = 256 * 1024 * 1024;

/** The memory an explanation's arrays hold (the engine's map, the display map, region ranks, segment labels). */
export function explanationBytes(e: Explanation): number {
  return e.result.data.byteLength + e.map.data.byteLength + (e.result.regions?.ranks.byteLength ?? 0) + (e.result.segments?.labels.byteLength ?? 0);
}

/**
 * The explanations of the images opened in this session, by image key (the content sha256, with
 * the frame for a multi-frame file: the engine's image id), so that leaving an image and opening
 * it again brings them back as they were. Bounded by bytes: beyond the bound, the images least
 * recently left or reopened are forgotten (a project image's are still in the project).
 */
export class ExplanationMemory {
  /** Insertion order is recency: the first entry is the least recently used. */
  readonly #entries = new Map<string, { state: RememberedExplanations; bytes: number }>();
  #bytes = 0;

  constructor(readonly maxBytes: number = explanationMemoryMaxBytes) {}

  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Keeps an image's explanations (replacing what was kept for it); none means forget the image. */
  remember(imageKey: string, state: RememberedExplanations): void {
    this.forget(imageKey);
    if (state.explanations.length === 0) return;
    const bytes = state.explanations.reduce((sum, e) => sum + explanationBytes(e), 0);
    this.#entries.set(imageKey, { state: { explanations: [...state.explanations], activeKey: state.activeKey, compareKeys: [...state.compareKeys] }, bytes });
    this.#bytes += bytes;
    for (const [key, entry] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.#entries.delete(key);
      this.#bytes -= entry.bytes;
    }
  }

  /** What was kept for an image, now the most recently used; undefined when nothing was (or it was dropped). */
  recall(imageKey: string): RememberedExplanations | undefined {
    const entry = this.#entries.get(imageKey);
    if (!entry) return undefined;
    this.#entries.delete(imageKey);
    this.#entries.set(imageKey, entry);
    return { explanations: [...entry.state.explanations], activeKey: entry.state.activeKey, compareKeys: [...entry.state.compareKeys] };
  }

  forget(imageKey: string): void {
    const entry = this.#entries.get(imageKey);
    if (!entry) return;
    this.#entries.delete(imageKey);
    this.#bytes -= entry.bytes;
  }
}
