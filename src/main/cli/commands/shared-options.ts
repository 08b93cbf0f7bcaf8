import { z } from 'zod';
import { ExecutionProviderRequest } from '../../../shared/contract/execution-provider';
import type { OptionSpec } from '../command';

export const modelOptions: Record<string, OptionSpec> = {
  model: { type: 'string', short: 'm', value: 'FILE', description: 'ONNX model (default: the bundled MobileNetV2)' },
  card: { type: 'string', value: 'FILE', description: 'Model card JSON (default: <model>.card.json next to the model)' },
  provider: { type: 'string', value: 'EP', description: 'Execution provider: auto, cpu, cuda, dml, coreml (default: auto)' },
};

export const modelArgs = {
  model: z.string().min(1).optional(),
  card: z.string().min(1).optional(),
  provider: ExecutionProviderRequest.default('auto'),
};

export function openModelParams(args: { model?: string | undefined; card?: string | undefined; provider: ExecutionProviderRequest }): {
  path?: string;
  cardPath?: string;
  executionProvider: ExecutionProviderRequest;
} {
  return {
    ...(args.model ? { path: args.model } : {}),
    ...(args.card ? { cardPath: args.card } : {}),
    executionProvider: args.provider,
  };
}
