import { createHash } from 'node:crypto';
import { AttributionService } from '../attribution/attribution-service';
import { GraphCache } from '../attribution/graph-cache';
import type { LoadedModel } from '../model/model-registry';
import { encodeModel } from '../onnx/encode';
import type { Model } from '../onnx/ir';
import { SessionPool } from '../runtime/session-pool';

/**
 * Runs a method on a variant of an open model (same graph and card, other weights) in a scratch
 * session pool and an in-memory graph cache of its own, released when done: randomised models are
 * used once, and must neither fill the user's graph cache nor keep sessions alive.
 */
export async function attributeWithVariant(
  base: LoadedModel,
  variant: Model,
  request: { input: Float32Array; method: string; target: number; params: Record<string, unknown>; signal?: AbortSignal | undefined },
): Promise<Float32Array> {
  const pool = new SessionPool();
  try {
    const bytes = encodeModel(variant);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const { session } = await pool.acquire({ sha256, provider: base.executionProvider.requested }, bytes);
    const derived: LoadedModel = { ...base, id: `${base.id}~${sha256.slice(0, 8)}`, sha256, bytes, sizeBytes: bytes.length, model: variant, session };
    const service = new AttributionService(pool, new GraphCache(null));
    const outcome = await service.attribute({ model: derived, input: request.input, method: request.method, target: request.target, params: request.params, signal: request.signal });
    return outcome.data;
  } finally {
    await pool.releaseAll();
  }
}
