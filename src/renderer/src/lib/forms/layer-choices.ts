import type { z } from 'zod';
import type { SpatialLayerInfo } from '../../../../shared/contract/attribution';
import { layerShapeText, shortLayerNames } from './layer-names';

export type LayerInfo = z.infer<typeof SpatialLayerInfo>;

/** One entry of the layer picker: the tensor name it sends, and what it shows. */
export interface LayerChoice {
  /** The ONNX tensor name (the `layer` parameter's value). */
  name: string;
  /** The short name shown (the full one is in the tooltip). */
  short: string;
  op: string;
  /** "[C, H, W]". */
  shape: string;
  /** The layer the engine uses when none is given. */
  isDefault: boolean;
}

/** The picker's entries for a model's layers (`models.layers`), in graph order. */
export function layerChoices(layers: readonly LayerInfo[]): LayerChoice[] {
  const short = shortLayerNames(layers);
  return layers.map((l, i) => ({ name: l.name, short: short[i]!, op: l.op, shape: layerShapeText(l), isDefault: l.isDefault }));
}

/**
 * The entries matching what was typed: every word must occur (ignoring case) in the short name, the
 * op or the shape, so "conv_6 14" finds the 14 x 14 maps of block 6. The full tensor name is not
 * searched: converted graphs fuse other layers' names into it, which would match the wrong layers.
 */
export function filterLayerChoices(choices: readonly LayerChoice[], query: string): LayerChoice[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...choices];
  return choices.filter((c) => {
    const text = `${c.short} ${c.op} ${c.shape}${c.isDefault ? ' default' : ''}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}
