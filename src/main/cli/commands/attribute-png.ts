import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { AttributionResult } from '../../../shared/contract/attribution';
import type { ImageSummary } from '../../../shared/contract/image';
import type { ModelCard } from '../../../shared/model-card';
import { colormapIds } from '../../../shared/heatmap/colormaps';
import { heatmapOf } from '../../../shared/heatmap/reduce-channels';
import { bareHeatmapPng, decodePng, originalImage, overlayPng, pngStyleFor } from '../../engine/render/attribution-png';
import { writeFileAtomic } from '../../engine/fs-utils';
import type { OptionSpec } from '../command';

/** `lumen attribute`'s PNG options: what is drawn (overlay or bare map) and with which colormap. */
export const pngOptions: Record<string, OptionSpec> = {
  png: { type: 'string', value: 'OUT.png', description: 'Also write a PNG: the map over the original image at its own size (with --image), or the bare map' },
  'png-mode': { type: 'string', value: 'MODE', description: 'overlay (default with --image: the map laid over the part of the original the model saw) or bare (the map alone, at the model input size)' },
  colormap: { type: 'string', value: 'NAME', description: `Colormap of the PNG: ${colormapIds.join(', ')} (default: coolwarm for signed maps, viridis otherwise)` },
};

export const pngArgs = {
  png: z.string().regex(/\.png$/i, 'must end in .png').optional(),
  'png-mode': z.enum(['overlay', 'bare']).optional(),
  colormap: z.enum(colormapIds).optional(),
};

export interface PngArgs {
  png?: string | undefined;
  'png-mode'?: 'overlay' | 'bare' | undefined;
  colormap?: (typeof colormapIds)[number] | undefined;
  image?: string | undefined;
}

/** An overlay needs the original image: a tensor input (--input X.npy) has none. */
export function pngModeProblem(a: PngArgs): string | undefined {
  if (a['png-mode'] && !a.png) return '--png-mode needs --png OUT.png';
  if (a.colormap && !a.png) return '--colormap needs --png OUT.png';
  if (a['png-mode'] === 'overlay' && !a.image) return '--png-mode overlay needs --image (a tensor input has no original image to lay the map over); use --png-mode bare';
  return undefined;
}

/**
 * Writes the PNG. Returns what was written (for the run's facts and a note when the original could
 * not be decoded at full size and the engine's preview was used instead).
 */
export async function writeAttributionPng(
  args: PngArgs & { png: string },
  result: Pick<AttributionResult, 'data' | 'dims' | 'kind'>,
  card: Pick<ModelCard, 'input' | 'preprocess'>,
  image: ImageSummary | undefined,
): Promise<{ mode: 'overlay' | 'bare'; width: number; height: number; note?: string }> {
  const map = heatmapOf(result, { layout: card.input.layout });
  const style = pngStyleFor(map, { colormap: args.colormap });
  const mode = args['png-mode'] ?? (image ? 'overlay' : 'bare');
  if (mode === 'bare' || !image || !args.image) {
    await writeFileAtomic(resolve(args.png), await bareHeatmapPng(map, style));
    return { mode: 'bare', width: map.width, height: map.height };
  }
  const decoded = await originalImage(new Uint8Array(await readFile(resolve(args.image))), image.name);
  const base = decoded ?? (await decodePng(image.preview.data));
  const placement = { input: { width: card.input.width, height: card.input.height }, resize: card.preprocess.resize };
  const png = await overlayPng(base, { width: image.width, height: image.height }, map, placement, style);
  await writeFileAtomic(resolve(args.png), png);
  return {
    mode: 'overlay',
    width: base.width,
    height: base.height,
    ...(decoded ? {} : { note: `The PNG overlay is drawn on the image's ${base.width} x ${base.height} preview: the original (${image.width} x ${image.height}) is not a format the PNG writer decodes.` }),
  };
}
