import { LumenError } from '../../../shared/errors';
import type {
  ExecutionProviderAvailability,
  ExecutionProviderName,
  ExecutionProviderReport,
  ExecutionProviderRequest,
} from '../../../shared/contract/execution-provider';
import { InferenceSession, type Session, type SessionOptions } from './onnxruntime';
import { withIntraOpThreads } from './intra-op-threads';
import { probeModel } from './probe-model';
import { providerInstallHint } from './provider-install-hint';

/** Accelerators worth trying for `auto`, best first, per platform. */
const acceleratorsByPlatform: Record<string, ExecutionProviderName[]> = {
  linux: ['cuda'],
  win32: ['dml', 'cuda'],
  darwin: ['coreml'],
};

export function acceleratorCandidates(platform: string = process.platform): ExecutionProviderName[] {
  return acceleratorsByPlatform[platform] ?? [];
}

/** Why each provider failed in this process, so a missing CUDA is probed once, not per model. */
const unavailable = new Map<ExecutionProviderName, string>();

/**
 * Creates a session on the requested provider. An unavailable accelerator falls back to CPU and
 * the report says so (and why); only a CPU failure is an error, and that is the model's fault.
 */
export async function createSession(
  model: Uint8Array | string,
  request: ExecutionProviderRequest,
  options: SessionOptions,
): Promise<{ session: Session; report: ExecutionProviderReport }> {
  const wanted: ExecutionProviderName[] = request === 'auto' ? acceleratorCandidates() : request === 'cpu' ? [] : [request];
  const reasons: string[] = [];
  for (const provider of wanted) {
    if (!acceleratorCandidates().includes(provider)) {
      reasons.push(`${provider}: not supported on ${process.platform}`);
      continue;
    }
    const known = unavailable.get(provider);
    if (known !== undefined) {
      reasons.push(`${provider}: ${known}`);
      continue;
    }
    try {
      // onnxruntime always keeps CPU as the fallback for operators the accelerator lacks; naming
      // only the accelerator makes a missing accelerator an error instead of a silent CPU run.
      const session = await open(model, { ...options, executionProviders: [provider] });
      return { session, report: { requested: request, used: provider } };
    } catch (error) {
      const reason = shortReason(error);
      unavailable.set(provider, reason);
      reasons.push(`${provider}: ${reason}`);
    }
  }
  try {
    const session = await open(model, { ...options, executionProviders: ['cpu'] });
    const report: ExecutionProviderReport = { requested: request, used: 'cpu' };
    if (request !== 'cpu') {
      report.fallbackReason =
        wanted.length === 0
          ? `no accelerator is supported on ${process.platform}; using CPU`
          : `${reasons.join('; ')}; using CPU`;
    }
    return { session, report };
  } catch (error) {
    throw new LumenError(
      'invalid-model',
      `onnxruntime could not load the model: ${shortReason(error)}.`,
      'Check that the file is a complete ONNX model exported with opset 7 or newer.',
    );
  }
}

/** Which providers work here, probed with a one-node model. */
export async function probeExecutionProviders(): Promise<ExecutionProviderAvailability[]> {
  const result: ExecutionProviderAvailability[] = [{ name: 'cpu', available: true }];
  for (const name of ['cuda', 'dml', 'coreml'] as const) {
    if (!acceleratorCandidates().includes(name)) {
      result.push({ name, available: false, reason: `not supported on ${process.platform}` });
      continue;
    }
    const hint = providerInstallHint(name);
    const known = unavailable.get(name);
    if (known !== undefined) {
      result.push({ name, available: false, reason: known, ...(hint ? { hint } : {}) });
      continue;
    }
    try {
      const session = await open(probeModel(), { executionProviders: [name] });
      await session.release();
      result.push({ name, available: true });
    } catch (error) {
      unavailable.set(name, shortReason(error));
      result.push({ name, available: false, reason: shortReason(error), ...(hint ? { hint } : {}) });
    }
  }
  return result;
}

function open(model: Uint8Array | string, options: SessionOptions): Promise<Session> {
  // Failures surface as exceptions that Lumen explains; onnxruntime's own log lines would only repeat them.
  const withLogging: SessionOptions = withIntraOpThreads({ logSeverityLevel: 4, ...options });
  return typeof model === 'string' ? InferenceSession.create(model, withLogging) : InferenceSession.create(model, withLogging);
}

function shortReason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // onnxruntime prefixes messages with source locations; keep the human part.
  const line = text.split('\n')[0] ?? text;
  if (/Failed to load shared library|cannot open shared object/i.test(text)) return 'its libraries are not installed';
  if (/backend not found|no available backend/i.test(text)) return 'not included in this onnxruntime build';
  return line.replace(/^.*?\] : \d+ : [A-Z_]+ : /, '').slice(0, 300);
}
