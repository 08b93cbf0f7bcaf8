/**
 * A zoom/pan state that several views can share: side-by-side panels hold the same Viewport, so
 * zooming or panning one moves them all, and the cursor (in preview pixels) shows in each.
 */
export class Viewport {
  /** Screen pixels per preview pixel, relative to the fitted size. */
  zoom = $state(1);
  /** Pan offset in screen pixels. */
  x = $state(0);
  y = $state(0);
  /** The pointer's position in preview pixels, when it is over one of the views. */
  cursor: { x: number; y: number } | null = $state(null);

  static readonly minZoom = 0.25;
  static readonly maxZoom = 32;

  /** Zooms by `factor` keeping the point (px, py) of the view (relative to its centre) still. */
  zoomAt(factor: number, px = 0, py = 0): void {
    const next = Math.min(Viewport.maxZoom, Math.max(Viewport.minZoom, this.zoom * factor));
    const applied = next / this.zoom;
    this.x = px - (px - this.x) * applied;
    this.y = py - (py - this.y) * applied;
    this.zoom = next;
  }

  panBy(dx: number, dy: number): void {
    this.x += dx;
    this.y += dy;
  }

  reset(): void {
    this.zoom = 1;
    this.x = 0;
    this.y = 0;
  }
}
