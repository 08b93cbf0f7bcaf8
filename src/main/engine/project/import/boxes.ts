import type { Box } from './report';

/**
 * A box cut to the image it belongs to. `clipped` says it reached outside; null when nothing of
 * it is left inside the image (or it has no area), so it cannot be ground truth.
 */
export function clipBox(box: Box, width: number, height: number): { box: Box; clipped: boolean } | null {
  const x0 = Math.max(0, box.x0);
  const y0 = Math.max(0, box.y0);
  const x1 = Math.min(width, box.x1);
  const y1 = Math.min(height, box.y1);
  if (!(x1 > x0 && y1 > y0)) return null;
  const clipped = x0 !== box.x0 || y0 !== box.y0 || x1 !== box.x1 || y1 !== box.y1;
  return { box: { label: box.label, x0, y0, x1, y1 }, clipped };
}

export function formatBox(b: Box): string {
  return `[${b.x0}, ${b.y0}, ${b.x1}, ${b.y1}]`;
}
