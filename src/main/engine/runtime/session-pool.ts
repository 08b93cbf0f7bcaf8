import type { ExecutionProviderReport, ExecutionProviderRequest } from '../../../shared/contract/execution-provider';
import { createSession } from './execution-providers';
import type { Session, SessionOptions } from './onnxruntime';

export interface PooledSession {
  session: Session;
  report: ExecutionProviderReport;
}

/**
 * One onnxruntime session per (model content, provider, variant), created on first use and reused
 * by every later call: creating a session costs far more than running one.
 */
export class SessionPool {
  private readonly sessions = new Map<string, Promise<PooledSession>>();

  constructor(private readonly options: SessionOptions = {}) {}

  acquire(key: { sha256: string; provider: ExecutionProviderRequest; variant?: string }, model: Uint8Array | string): Promise<PooledSession> {
    const id = `${key.sha256}|${key.provider}|${key.variant ?? 'forward'}`;
    let entry = this.sessions.get(id);
    if (!entry) {
      entry = createSession(model, key.provider, { graphOptimizationLevel: 'all', ...this.options });
      // A failed creation must not poison the pool: the next call tries again.
      entry.catch(() => this.sessions.delete(id));
      this.sessions.set(id, entry);
    }
    return entry;
  }

  /** onnxruntime intra-op threads of every session; 0 = onnxruntime's default (one per core). */
  get threads(): number {
    return this.options.intraOpNumThreads ?? 0;
  }

  get size(): number {
    return this.sessions.size;
  }

  async releaseAll(): Promise<void> {
    const entries = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.allSettled(entries.map(async (e) => (await e).session.release()));
  }
}
