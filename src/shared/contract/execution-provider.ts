import { z } from 'zod';

/** Execution providers a user may ask for; `auto` tries the platform's accelerators, then CPU. */
export const ExecutionProviderRequest = z.enum(['auto', 'cpu', 'cuda', 'dml', 'coreml']);
export type ExecutionProviderRequest = z.infer<typeof ExecutionProviderRequest>;

export const ExecutionProviderName = z.enum(['cpu', 'cuda', 'dml', 'coreml']);
export type ExecutionProviderName = z.infer<typeof ExecutionProviderName>;

/** What was asked, what is actually in use, and why they differ. */
export const ExecutionProviderReport = z.object({
  requested: ExecutionProviderRequest,
  used: ExecutionProviderName,
  /** Set when `used` differs from what was asked (or `auto` found no accelerator). */
  fallbackReason: z.string().optional(),
});
export type ExecutionProviderReport = z.infer<typeof ExecutionProviderReport>;

export const ExecutionProviderAvailability = z.object({
  name: ExecutionProviderName,
  available: z.boolean(),
  reason: z.string().optional(),
  /** For an unavailable provider: how to make it available, where known (the CUDA provider on Linux). */
  hint: z.string().optional(),
});
export type ExecutionProviderAvailability = z.infer<typeof ExecutionProviderAvailability>;
