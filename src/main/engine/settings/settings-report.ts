import { isAbsolute } from 'node:path';
import type { ExecutionProviderAvailability, ExecutionProviderName, ExecutionProviderRequest } from '../../../shared/contract/execution-provider';
import type { Settings, SettingsReport } from '../../../shared/contract/settings';
import { cacheDir } from '../cache-dir';
import { acceleratorCandidates } from '../runtime/execution-providers';

/** What the running engine took from the settings (and its overrides) when it started. */
export interface EngineRuntime {
  /** onnxruntime intra-op threads of the session pool; 0 = onnxruntime's default (one per core). */
  threads: number;
  /** Threads given to the engine explicitly (LUMEN_THREADS, --threads); they win over the settings. */
  threadsOverride: number;
  /** The folder under which compiled graphs are cached. */
  cacheDir: string;
  /** Memory for the engine's caches (open images, compiled graphs kept in memory), in MiB. */
  memoryBudgetMiB: number;
}

/** The runtime an engine started now would get from these settings. */
export function runtimeFor(settings: Settings, threadsOverride: number): EngineRuntime {
  return {
    threads: threadsOverride > 0 ? threadsOverride : settings.threads,
    threadsOverride,
    // A cache folder chosen in the settings wins over LUMEN_CACHE_DIR and the platform default.
    // A relative folder (written by hand, or before Lumen refused them) falls back to the default.
    cacheDir: settings.cacheDir !== '' && isAbsolute(settings.cacheDir) ? settings.cacheDir : cacheDir(),
    memoryBudgetMiB: settings.memoryBudgetMiB,
  };
}

/** The provider a model opened now with this request would run on, from the probed availability. */
export function providerInUse(request: ExecutionProviderRequest, providers: ExecutionProviderAvailability[]): { executionProvider: ExecutionProviderName; fallbackReason?: string } {
  if (request === 'cpu') return { executionProvider: 'cpu' };
  const wanted: ExecutionProviderName[] = request === 'auto' ? acceleratorCandidates() : [request];
  const reasons: string[] = [];
  for (const name of wanted) {
    const found = providers.find((p) => p.name === name);
    if (found?.available) return { executionProvider: name };
    reasons.push(`${name}: ${found?.reason ?? 'not available'}`);
  }
  return {
    executionProvider: 'cpu',
    fallbackReason: wanted.length === 0 ? `no accelerator is supported on ${process.platform}; using CPU` : `${reasons.join('; ')}; using CPU`,
  };
}

/**
 * The settings next to what the engine really uses. The execution provider applies to models
 * opened from now on; threads and the cache folder are fixed when the engine starts, so a change
 * of them is named in `pendingRestart` until the engine restarts.
 */
export function settingsReport(settings: Settings, running: EngineRuntime, providers: ExecutionProviderAvailability[], settingsFile: string): SettingsReport {
  const next = runtimeFor(settings, running.threadsOverride);
  const pendingRestart: string[] = [];
  if (next.threads !== running.threads) pendingRestart.push('threads');
  if (next.cacheDir !== running.cacheDir) pendingRestart.push('cacheDir');
  if (next.memoryBudgetMiB !== running.memoryBudgetMiB) pendingRestart.push('memoryBudgetMiB');
  return {
    settings,
    inUse: { ...providerInUse(settings.executionProvider, providers), threads: running.threads, cacheDir: running.cacheDir, memoryBudgetMiB: running.memoryBudgetMiB, settingsFile },
    providers,
    pendingRestart,
  };
}
