import { describe, expect, it } from 'vitest';
import { boxToStage, onStage, stageToBox, viewScale, type ViewGeometry } from '../../../../src/renderer/src/lib/viewer/view-transform';

const view = (over: Partial<ViewGeometry> = {}): ViewGeometry => ({ boxWidth: 400, boxHeight: 300, stageWidth: 200, stageHeight: 100, zoom: 1, panX: 0, panY: 0, ...over });

describe('view transform', () => {
  it('fits the stage by the smaller ratio, times the zoom', () => {
    expect(viewScale(view())).toBe(2); // min(400/200, 300/100)
    expect(viewScale(view({ boxHeight: 150 }))).toBe(1.5);
    expect(viewScale(view({ zoom: 2.5 }))).toBe(5);
    expect(viewScale(view({ boxWidth: 0 }))).toBe(1); // not measured yet
  });

  it('puts the stage centre at the box centre plus the pan, corners by the scale', () => {
    expect(stageToBox(view(), { x: 100, y: 50 })).toEqual({ x: 200, y: 150 });
    // Fitted 2×: the 200×100 stage spans 400×200, centred vertically (50 px above and below).
    expect(stageToBox(view(), { x: 0, y: 0 })).toEqual({ x: 0, y: 50 });
    expect(stageToBox(view(), { x: 200, y: 100 })).toEqual({ x: 400, y: 250 });
    // Zoom 2 about the centre, pan (30, −20).
    expect(stageToBox(view({ zoom: 2, panX: 30, panY: -20 }), { x: 150, y: 25 })).toEqual({ x: 200 + 30 + 50 * 4, y: 150 - 20 - 25 * 4 });
  });

  it('inverts exactly (to rounding) for any geometry', () => {
    const g = view({ boxWidth: 333, boxHeight: 217, stageWidth: 224, stageHeight: 168, zoom: 1.7, panX: -12.5, panY: 41 });
    for (const p of [{ x: 0, y: 0 }, { x: 111.25, y: 9.5 }, { x: 223.9, y: 167.9 }]) {
      const back = boxToStage(g, stageToBox(g, p));
      expect(back.x).toBeCloseTo(p.x, 10);
      expect(back.y).toBeCloseTo(p.y, 10);
    }
  });

  it('places a shared image point on the same image pixel in panels of different sizes', () => {
    // Two panels sharing zoom and pan, one 20 px shorter (a wrapped title once took that height).
    const a = view({ boxWidth: 300, boxHeight: 260, zoom: 1.5, panX: 10, panY: 5 });
    const b = { ...a, boxHeight: 240 };
    const point = { x: 61.3, y: 40.2 };
    // The image point's offset from the stage's drawn top-left corner, in image pixels, agrees.
    const imagePixel = (g: ViewGeometry) => {
      const at = stageToBox(g, point);
      const origin = stageToBox(g, { x: 0, y: 0 });
      const s = viewScale(g);
      return { x: (at.x - origin.x) / s, y: (at.y - origin.y) / s };
    };
    expect(imagePixel(a).x).toBeCloseTo(point.x, 10);
    expect(imagePixel(b).y).toBeCloseTo(point.y, 10);
    // Copying panel a's screen position into b would miss by the difference of their offsets.
    expect(stageToBox(a, point).y - stageToBox(b, point).y).not.toBeCloseTo(0, 1);
  });

  it('knows when a point is off the stage', () => {
    expect(onStage(view(), { x: 0, y: 0 })).toBe(true);
    expect(onStage(view(), { x: 199.99, y: 99.99 })).toBe(true);
    expect(onStage(view(), { x: 200, y: 50 })).toBe(false);
    expect(onStage(view(), { x: -0.01, y: 50 })).toBe(false);
  });
});
