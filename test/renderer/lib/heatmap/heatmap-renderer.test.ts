import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/main/engine/random/rng';
import { colorize } from '../../../../src/renderer/src/lib/heatmap/colorize';
import { getColormap } from '../../../../src/renderer/src/lib/heatmap/colormaps';
import { createHeatmapRenderer, webgl2Available, type CanvasLike } from '../../../../src/renderer/src/lib/heatmap/heatmap-renderer';
import { displayRange, rangeForColormap, unitTransform } from '../../../../src/renderer/src/lib/heatmap/normalise';
import { selectXraiRegions } from '../../../../src/renderer/src/lib/heatmap/xrai-mask';

/** A stand-in canvas with a 2D context that records what was put on it (no DOM in Node). */
function fakeCanvas(record = true) {
  const puts: Array<{ width: number; height: number; data: Uint8ClampedArray }> = [];
  let created = 0;
  const context = {
    createImageData(width: number, height: number) {
      created++;
      return { width, height, data: new Uint8ClampedArray(width * height * 4), colorSpace: 'srgb' };
    },
    putImageData(image: { width: number; height: number; data: Uint8ClampedArray }) {
      if (record) puts.push({ width: image.width, height: image.height, data: image.data.slice() });
    },
  };
  const canvas = {
    width: 300,
    height: 150,
    getContext: (type: string) => (type === '2d' ? context : null),
  };
  return { canvas: canvas as unknown as CanvasLike, puts, imagesCreated: () => created };
}

describe('createHeatmapRenderer (Canvas 2D backend)', () => {
  it('falls back to Canvas 2D where there is no WebGL2 (Node has no document)', () => {
    expect(webgl2Available()).toBe(false);
    const { canvas } = fakeCanvas();
    expect(createHeatmapRenderer(canvas).backend).toBe('canvas2d');
  });

  it('sizes the canvas to the map and draws what colorize computes', () => {
    const { canvas, puts } = fakeCanvas();
    const r = createHeatmapRenderer(canvas);
    const rng = new Rng(1);
    const map = Float32Array.from({ length: 6 * 4 }, () => rng.normal());
    r.setMap(map, 6, 4);
    expect([canvas.width, canvas.height]).toEqual([6, 4]);
    expect([r.width, r.height]).toEqual([6, 4]);
    const range = displayRange(map, { mode: 'signed' });
    r.setDisplay({ colormap: 'coolwarm', range, opacity: 0.5 });
    expect(r.draw()).toBeGreaterThanOrEqual(0);
    const want = new Uint8ClampedArray(6 * 4 * 4);
    colorize(map, { lut: getColormap('coolwarm').lut, transform: unitTransform(range), opacity: 0.5 }, want);
    expect(puts.at(-1)!.data).toEqual(want);
  });

  it('draws nothing before a map and a display are set', () => {
    const { canvas, puts } = fakeCanvas();
    const r = createHeatmapRenderer(canvas);
    r.draw();
    r.setMap(new Float32Array(4), 2, 2);
    r.draw();
    expect(puts).toHaveLength(0);
    r.setDisplay({ colormap: 'gray', range: { mode: 'absolute', min: 0, max: 1 }, opacity: 1 });
    r.draw();
    expect(puts).toHaveLength(1);
  });

  it('display changes reuse the image buffer; a new map size makes a new one', () => {
    const { canvas, imagesCreated } = fakeCanvas();
    const r = createHeatmapRenderer(canvas);
    r.setMap(new Float32Array(16), 4, 4);
    for (const colormap of ['viridis', 'magma', 'rdbu']) {
      r.setDisplay({ colormap, range: { mode: 'absolute', min: 0, max: 1 }, opacity: 0.3 });
      r.draw();
    }
    r.setMap(new Float32Array(16).fill(1), 4, 4);
    r.draw();
    expect(imagesCreated()).toBe(1);
    r.setMap(new Float32Array(8), 4, 2);
    expect(imagesCreated()).toBe(2);
  });

  it('sampleAt reads the raw value, NaN included; NaN and infinities are drawn as 0', () => {
    const { canvas, puts } = fakeCanvas();
    const r = createHeatmapRenderer(canvas);
    const map = Float32Array.of(1, NaN, -Infinity, 0);
    r.setMap(map, 2, 2);
    expect(r.nonFinite).toBe(2);
    expect(r.sampleAt(0, 0)).toBe(1);
    expect(r.sampleAt(1.7, 0.2)).toBeNaN();
    expect(r.sampleAt(0, 1)).toBe(-Infinity);
    expect(r.sampleAt(2, 0)).toBeNull();
    expect(r.sampleAt(-0.5, 0)).toBeNull();
    r.setDisplay({ colormap: 'coolwarm', range: { mode: 'signed', min: -1, max: 1 }, opacity: 1 });
    r.draw();
    const px = (p: number) => Array.from(puts[0]!.data.subarray(p * 4, p * 4 + 4));
    expect(px(1)).toEqual(px(3));
    expect(px(2)).toEqual(px(3));
    expect(map[1]).toBeNaN(); // the caller's array is left alone
  });

  it('masks with XRAI regions, and drops a mask that belongs to a map of another size', () => {
    const { canvas, puts } = fakeCanvas();
    const r = createHeatmapRenderer(canvas);
    r.setMap(Float32Array.of(1, 2, 3, 4), 2, 2);
    const regions = { ranks: Int32Array.of(1, 1, 2, 2), list: [{ rank: 1, gain: 1, area: 2, cumulativeArea: 0.5 }, { rank: 2, gain: 0, area: 2, cumulativeArea: 1 }] };
    r.setDisplay({ colormap: 'viridis', range: { mode: 'absolute', min: 0, max: 4 }, opacity: 1, mask: selectXraiRegions(regions, 0.5) });
    r.draw();
    expect(Array.from(puts[0]!.data.filter((_, i) => i % 4 === 3))).toEqual([255, 255, 0, 0]);
    expect(() => r.setDisplay({ colormap: 'viridis', range: { min: 0, max: 4 }, opacity: 1, mask: { ranks: new Int32Array(9), included: new Uint8Array(1) } })).toThrow(/mask covers 9 pixels/);
    r.setMap(new Float32Array(9), 3, 3);
    r.draw();
    expect(Array.from(puts[1]!.data.filter((_, i) => i % 4 === 3))).toEqual(new Array(9).fill(255));
  });

  it('rejects maps whose size does not match', () => {
    const r = createHeatmapRenderer(fakeCanvas().canvas);
    expect(() => r.setMap(new Float32Array(5), 2, 2)).toThrow(/needs 4 values, not 5/);
    expect(() => r.setMap(new Float32Array(0), 0, 0)).toThrow(RangeError);
  });

  // Its speed (well inside a 16 ms frame) is measured in the benchmark: `npm run bench -- heatmap`.
  it('every display change on 512 x 512 redraws exactly what colorize computes for the new settings', () => {
    const { canvas, puts } = fakeCanvas();
    const r = createHeatmapRenderer(canvas);
    const rng = new Rng(2);
    const map = Float32Array.from({ length: 512 * 512 }, () => rng.normal());
    r.setMap(map, 512, 512);
    const ids = ['viridis', 'magma', 'inferno', 'cividis', 'gray', 'coolwarm', 'rdbu'] as const;
    const want = new Uint8ClampedArray(map.length * 4);
    for (let k = 0; k < 4; k++) {
      const range = displayRange(map, { mode: k % 2 ? 'signed' : 'absolute', percentile: 95 + k });
      const colormap = getColormap(ids[(3 * k) % ids.length]!);
      r.setDisplay({ colormap: colormap.id, range, opacity: (k + 1) / 5 });
      r.draw();
      colorize(map, { lut: colormap.lut, transform: unitTransform(rangeForColormap(range, colormap.kind)), opacity: (k + 1) / 5 }, want);
      // Compared as bytes: a deep equality of 1 M elements is slow to report.
      const drawn = puts.at(-1)!.data;
      expect(Buffer.from(drawn.buffer, drawn.byteOffset, drawn.byteLength).equals(Buffer.from(want.buffer)), `change ${k}`).toBe(true);
    }
    expect(puts).toHaveLength(4);
  });
});
