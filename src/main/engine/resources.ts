import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { describeZodError, LumenError } from '../../shared/errors';
import { Sample } from '../../shared/contract/image';

/**
 * The folder with the bundled model and samples. LUMEN_RESOURCES_DIR wins (the packaged app sets
 * it); otherwise the nearest `resources/` above this module, which works from the source tree, the
 * built CLI and the unpacked app alike.
 */
export function resourcesDir(): string {
  const fromEnv = process.env['LUMEN_RESOURCES_DIR'];
  if (fromEnv) return fromEnv;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'resources');
    if (existsSync(join(candidate, 'models'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new LumenError('not-found', 'The bundled resources folder was not found.', 'Reinstall Lumen, or set LUMEN_RESOURCES_DIR.');
}

export const defaultModelFile = join('models', 'mobilenet_v2_1.0_224', 'model.onnx');

export function defaultModelPath(): string {
  return join(resourcesDir(), defaultModelFile);
}

let samples: Promise<Sample[]> | undefined;

/** The bundled sample images, from resources/samples/samples.json. */
export function loadSamples(): Promise<Sample[]> {
  samples ??= (async () => {
    const text = await readFile(join(resourcesDir(), 'samples', 'samples.json'), 'utf8');
    const parsed = z.array(Sample).safeParse(JSON.parse(text));
    if (!parsed.success) throw new LumenError('internal', `samples.json is invalid: ${describeZodError(parsed.error)}.`);
    return parsed.data;
  })();
  return samples;
}

export function samplePath(sample: Sample): string {
  return join(resourcesDir(), 'samples', sample.fileName);
}
