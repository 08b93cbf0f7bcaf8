/**
 * Where a stage point (a preview pixel, continuous) lands in a zoom/pan view, and back. A view
 * fits its stage into its box (the smaller of the two ratios), then applies the shared zoom and
 * pan about the box's centre: the stage's centre sits at the box centre plus the pan. Side-by-side
 * panels share zoom and pan but may differ in box size, so each panel's crosshair is placed from
 * the shared image point through its own transform, never copied as screen pixels.
 */

export interface ViewGeometry {
  /** The view's box, in CSS pixels. */
  boxWidth: number;
  boxHeight: number;
  /** The stage (the preview image), in preview pixels. */
  stageWidth: number;
  stageHeight: number;
  /** The shared viewport: zoom relative to the fitted size, pan in CSS pixels. */
  zoom: number;
  panX: number;
  panY: number;
}

export interface Point {
  x: number;
  y: number;
}

/** CSS pixels per preview pixel: the fitted scale times the zoom (1 before the box is measured). */
export function viewScale(g: ViewGeometry): number {
  const fit = g.boxWidth > 0 && g.boxHeight > 0 ? Math.min(g.boxWidth / g.stageWidth, g.boxHeight / g.stageHeight) : 1;
  return fit * g.zoom;
}

/** A stage point's position in the box (CSS pixels from the box's top-left corner). */
export function stageToBox(g: ViewGeometry, p: Point): Point {
  const s = viewScale(g);
  return { x: g.boxWidth / 2 + g.panX + (p.x - g.stageWidth / 2) * s, y: g.boxHeight / 2 + g.panY + (p.y - g.stageHeight / 2) * s };
}

/** The stage point under a box position (the inverse of stageToBox). */
export function boxToStage(g: ViewGeometry, p: Point): Point {
  const s = viewScale(g);
  return { x: (p.x - g.boxWidth / 2 - g.panX) / s + g.stageWidth / 2, y: (p.y - g.boxHeight / 2 - g.panY) / s + g.stageHeight / 2 };
}

/** Whether a stage point lies on the stage. */
export function onStage(g: Pick<ViewGeometry, 'stageWidth' | 'stageHeight'>, p: Point): boolean {
  return p.x >= 0 && p.y >= 0 && p.x < g.stageWidth && p.y < g.stageHeight;
}
