import { describe, expect, it } from 'vitest';
import { renderWindow } from '../../../../src/renderer/src/lib/viewer/render-window';
import { formatMillimetres, scaleBarLength } from '../../../../src/renderer/src/lib/viewer/scale-bar';
import { dragSensitivity, dragWindow, valueAt } from '../../../../src/renderer/src/lib/viewer/window-level';
import { modelWindowText } from '../../../../src/renderer/src/lib/viewer/model-window';
import { windowFunction, type WindowSpec } from '../../../../src/shared/windowing/voi-window';
import { ModelCard } from '../../../../src/shared/model-card';

describe('renderWindow: the canvas pixels of a window', () => {
  // Values across and beyond each window, with the window's edges and centre among them.
  const values = Float32Array.from([-3000, -1351, -1350.5, -1350, -600.5, -600, 0, 149, 149.5, 150, 3000, 39.5, 40, 239.5, 240, -160]);
  const windows: WindowSpec[] = [
    { center: -600, width: 1500, fn: 'LINEAR' },
    { center: 40, width: 400, fn: 'LINEAR_EXACT' },
    { center: 40, width: 400, fn: 'SIGMOID' },
    { center: 40, width: 1, fn: 'LINEAR' },
  ];
  it.each(windows)('matches the shared window function to the nearest grey level: %j', (window) => {
    for (const monochrome1 of [false, true]) {
      const rgba = new Uint8ClampedArray(values.length * 4);
      renderWindow(values, window, monochrome1, rgba);
      const f = windowFunction(window);
      values.forEach((x, i) => {
        const expected = 255 * (monochrome1 ? 1 - f(x) : f(x));
        expect(Math.abs(rgba[4 * i]! - expected)).toBeLessThanOrEqual(0.5 + 1e-9);
        expect([rgba[4 * i + 1], rgba[4 * i + 2], rgba[4 * i + 3]]).toEqual([rgba[4 * i], rgba[4 * i], 255]);
      });
    }
  });
});

describe('dragWindow: the PACS gesture', () => {
  const start = { center: 40, width: 400, fn: 'LINEAR_EXACT' as const };
  it('horizontal drag changes the width, vertical the centre, by the sensitivity per pixel', () => {
    expect(dragWindow(start, 100, 0, 2)).toEqual({ center: 40, width: 600, fn: 'LINEAR' });
    expect(dragWindow(start, 0, -50, 2)).toEqual({ center: -60, width: 400, fn: 'LINEAR' });
    expect(dragWindow(start, -1000, 0, 2).width).toBe(1);
  });
  it("sweeps the frame's range over 1024 screen pixels", () => {
    expect(dragSensitivity(-1024, 3071)).toBe(4);
    expect(dragSensitivity(5, 5)).toBe(1 / 1024);
  });
});

describe('scaleBarLength', () => {
  it('picks the longest 1, 2 or 5 x 10^k mm that fits', () => {
    expect(scaleBarLength(0.5, 256)).toEqual({ mm: 100, pixels: 200 }); // 128 mm fit: 100 mm
    expect(scaleBarLength(0.143, 256)?.mm).toBe(20); // 36.6 mm fit
    expect(scaleBarLength(0.661468, 32)?.mm).toBe(20); // 21.2 mm fit
    expect(scaleBarLength(2, 30)).toEqual({ mm: 50, pixels: 25 });
    expect(scaleBarLength(0, 100)).toBeNull();
  });
  it('formats millimetres without float noise', () => {
    expect(formatMillimetres(0.1 + 0.2)).toBe('0.3 mm');
    expect(formatMillimetres(200)).toBe('200 mm');
  });
});

describe('modelWindowText: what the model sees, for the display-only note', () => {
  const card = (window?: unknown): ModelCard =>
    ModelCard.parse({
      name: 'm',
      input: { name: 'x', layout: 'NCHW', height: 8, width: 8, color: 'GRAY' },
      preprocess: { resize: { mode: 'stretch' }, interpolation: 'linear', scale: 1, mean: [0], std: [1], ...(window ? { window } : {}) },
      output: { name: 'y', kind: 'logits', labels: [] },
    });
  it('names the card window, or says the card sets none', () => {
    expect(modelWindowText(card())).toBe("the file's window (the card sets none)");
    expect(modelWindowText(card({ source: 'preset', name: 'lung' }))).toBe('the lung preset, centre -600, width 1500 (set by the card)');
    expect(modelWindowText(card({ source: 'fixed', center: 40, width: 80 }))).toBe('centre 40, width 80 (set by the card)');
  });
});

describe('valueAt: the modality value under the cursor', () => {
  const values = { width: 4, height: 2, values: Float32Array.from([0, 1, 2, 3, 10, 11, 12, 13]) };
  it('maps stage (preview) pixels onto the values, which may be smaller', () => {
    expect(valueAt(values, { width: 8, height: 4 }, 0, 0)).toBe(0);
    expect(valueAt(values, { width: 8, height: 4 }, 7.9, 3.9)).toBe(13);
    expect(valueAt(values, { width: 8, height: 4 }, 2.5, 2)).toBe(11);
    expect(valueAt(values, { width: 8, height: 4 }, 8, 0)).toBeNull();
  });
});
