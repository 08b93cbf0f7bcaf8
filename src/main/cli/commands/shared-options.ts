import { resolve } from 'node:path';
import { z } from 'zod';
import type { LumenApi } from '../../../shared/contract/api';
import { ExecutionProviderRequest } from '../../../shared/contract/execution-provider';
import type { ImageSummary } from '../../../shared/contract/image';
import { readNpyFile, toFloat32 } from '../../engine/io/npy';
import type { OptionSpec } from '../command';

/** A command-line value that must be a JSON object (method or metric parameters). */
export const JsonObject = z.string().transform((text, ctx) => {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  ctx.addIssue({ code: 'custom', message: 'must be a JSON object, e.g. \'{"steps": 32}\'' });
  return z.NEVER;
});

export type ModelInput = { kind: 'image'; imageId: string } | { kind: 'tensor'; dims: number[]; data: Float32Array };

/** The input of --image FILE (opened by the engine) or --input X.npy (a preprocessed tensor). */
export async function resolveInput(api: LumenApi, args: { image?: string | undefined; input?: string | undefined }): Promise<ModelInput> {
  if (args.image) return { kind: 'image', imageId: (await api.call('images.open', { source: 'file', path: args.image })).id };
  const array = await readNpyFile(resolve(args.input!));
  // [C,H,W] is accepted for [1,C,H,W].
  const dims = array.shape.length === 3 ? [1, ...array.shape] : array.shape;
  return { kind: 'tensor', dims, data: toFloat32(array) };
}

/** --frame N: the frame of a multi-frame DICOM file the model sees, counted from 1 as DICOM does. */
export const frameOption: Record<string, OptionSpec> = {
  frame: { type: 'string', value: 'N', description: 'For a multi-frame DICOM file: the frame to use, from 1 (default 1)' },
};
export const frameArg = { frame: z.coerce.number().int().min(1).max(65536).optional() };

/** Opens --image FILE (at --frame N) in the engine, saying on stderr how a DICOM file was read. */
export async function openImageFile(api: LumenApi, path: string, frame: number | undefined, err?: (line: string) => void): Promise<ImageSummary> {
  const image = await api.call('images.open', { source: 'file', path, ...(frame === undefined ? {} : { frame: frame - 1 }) });
  for (const note of image.notes ?? []) err?.(`note: ${note}`);
  return image;
}

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
