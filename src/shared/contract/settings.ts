import { z } from 'zod';
import { defaultMemoryBudgetMiB } from '../memory-budget';
import { ExecutionProviderAvailability, ExecutionProviderName, ExecutionProviderRequest } from './execution-provider';

/** The settings' fields, without defaults (a change names only the fields it changes). */
const fields = {
  executionProvider: ExecutionProviderRequest,
  /** onnxruntime intra-op threads; 0 = one per core. */
  threads: z.number().int().min(0).max(256),
  /** Memory one attribution run may use on the CPU, in MiB (LUMEN_MEMORY_BUDGET_MB wins; an accelerator has its own default). */
  memoryBudgetMiB: z.number().int().min(256).max(1_048_576),
  /** Where compiled attribution graphs and thumbnails are cached; empty = the platform default. */
  cacheDir: z.string().max(4096),
};

/** The user's settings, kept in Lumen's settings file; every field has a default. */
export const Settings = z
  .object({
    executionProvider: fields.executionProvider.default('auto'),
    threads: fields.threads.default(0),
    memoryBudgetMiB: fields.memoryBudgetMiB.default(defaultMemoryBudgetMiB.cpu),
    cacheDir: fields.cacheDir.default(''),
  })
  .strict();
export type Settings = z.infer<typeof Settings>;

/**
 * A change of some settings: the fields it names, nothing else. (`Settings.partial()` would not do:
 * zod fills the defaults of the fields left out, so a change of one field would reset the others.)
 */
export const SettingsPatch = z.object(fields).partial().strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export const SettingsReport = z.object({
  settings: Settings,
  /** What the engine actually uses now (a changed setting may apply to models opened later). */
  inUse: z.object({
    executionProvider: ExecutionProviderName,
    fallbackReason: z.string().optional(),
    threads: z.number().int(),
    cacheDir: z.string(),
    memoryBudgetMiB: z.number().int(),
    settingsFile: z.string(),
  }),
  providers: z.array(ExecutionProviderAvailability),
  /** Settings that take effect only after a restart, named. */
  pendingRestart: z.array(z.string()),
});
export type SettingsReport = z.infer<typeof SettingsReport>;
