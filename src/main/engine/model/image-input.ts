import type { Layout } from '../../../shared/model-card';
import type { Dim } from '../onnx/ir';

/** Reads the layout of a rank-4 image input from its shape, or undefined when it cannot tell. */
export function inferLayout(shape: readonly Dim[]): Layout | undefined {
  const isChannelCount = (d: Dim | undefined): boolean => d === 1 || d === 3;
  const c1 = isChannelCount(shape[1]);
  const c3 = isChannelCount(shape[3]);
  if (c1 && !c3) return 'NCHW';
  if (c3 && !c1) return 'NHWC';
  // Neither dimension is a channel count: a static dim 1 at position 1 would have matched above,
  // so look at which end has the spatial-looking (larger, static) dims.
  if (!c1 && !c3) {
    if (typeof shape[1] === 'number' && typeof shape[2] === 'number' && typeof shape[3] !== 'number') return 'NHWC';
    if (typeof shape[2] === 'number' && typeof shape[3] === 'number' && typeof shape[1] !== 'number') return 'NCHW';
  }
  return undefined;
}

/** Positions of the channel, height and width dimensions for a layout. */
export function layoutAxes(layout: Layout): { channel: number; height: number; width: number } {
  return layout === 'NCHW' ? { channel: 1, height: 2, width: 3 } : { channel: 3, height: 1, width: 2 };
}

export function formatShape(shape: readonly Dim[] | undefined): string {
  if (shape === undefined) return '(unknown shape)';
  return `[${shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}
