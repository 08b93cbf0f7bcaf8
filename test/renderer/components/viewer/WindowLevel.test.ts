// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ImageValues } from '../../../../src/shared/contract/image';
import { Viewport } from '../../../../src/renderer/src/lib/viewer/viewport.svelte';
import { fakeEngine } from '../../helpers/fake-engine';
import WindowLevelHarness from './WindowLevelHarness.svelte';

/** A 64 x 32 CT frame (HU from -1024 to 3071, a 4096-wide range: 4 HU per pixel of drag), 3 frames, with a file window. */
function ctValues(frame: number): ImageValues {
  return {
    width: 64,
    height: 32,
    values: Float32Array.from({ length: 64 * 32 }, (_, i) => -1024 + (i % 64) * 64 + frame),
    frameWidth: 128,
    frameHeight: 64,
    min: -1024,
    max: 3071,
    frame,
    frames: 3,
    photometric: 'MONOCHROME2',
    modality: 'CT',
    windows: [{ center: 40, width: 400, explanation: 'SOFT TISSUE' }],
    voiLutFunction: 'LINEAR',
    hasVoiLut: false,
    spacing: { rowMm: 0.5, columnMm: 0.5, source: 'ImagerPixelSpacing' },
  };
}

const readout = (): string => document.querySelector('.readout')?.textContent ?? '';

function mount(values: (frame: number) => ImageValues = ctValues, onuseframe?: (frame: number) => void) {
  const engine = fakeEngine({ 'images.values': ({ frame }) => values(frame ?? 0) });
  const viewport = new Viewport();
  render(WindowLevelHarness, { props: { api: engine.api, viewport, modelSees: "the file's window (the card sets none)", onuseframe } });
  return { engine, viewport, view: () => screen.getByRole('group', { name: 'CT slice' }) };
}

async function drag(target: Element, button: number, from: [number, number], to: [number, number]): Promise<void> {
  await fireEvent.pointerDown(target, { button, pointerId: 3, clientX: from[0], clientY: from[1] });
  await fireEvent.pointerMove(target, { pointerId: 3, clientX: to[0], clientY: to[1] });
  await fireEvent.pointerUp(target, { pointerId: 3, clientX: to[0], clientY: to[1] });
}

beforeEach(() => {
  vi.stubGlobal('ResizeObserver', class { observe(): void {} disconnect(): void {} });
  Object.defineProperty(HTMLElement.prototype, 'setPointerCapture', { configurable: true, value: () => undefined });
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  Reflect.deleteProperty(HTMLElement.prototype, 'setPointerCapture');
});

describe('window/level in the inspector', () => {
  it("opens with the file's window and says it changes the display only, and what the model sees", async () => {
    mount();
    await waitFor(() => expect(readout()).toBe('C 40 / W 400 HU'));
    expect(screen.getByText(/Display only: the model sees the file's window \(the card sets none\)\./)).toBeTruthy();
    expect(screen.getByRole('img', { name: 'CT slice, windowed' }).dataset['window']).toBe('40 400');
  });

  it('a right-button drag windows (horizontal = width, vertical = centre) and does not pan', async () => {
    const { viewport, view } = mount();
    await waitFor(() => expect(readout()).toBe('C 40 / W 400 HU'));
    await drag(view(), 2, [100, 100], [150, 80]); // 50 px right: +200 HU width; 20 px up: -80 HU centre
    expect(readout()).toBe('C -40 / W 600 HU');
    expect([viewport.x, viewport.y]).toEqual([0, 0]);
    await drag(view(), 1, [100, 100], [100, 110]); // middle button: 10 px down, +40 HU centre
    expect(readout()).toBe('C 0 / W 600 HU');
  });

  it('a left-button drag pans, unless the W/L drag mode is on', async () => {
    const { viewport, view } = mount();
    await waitFor(() => expect(readout()).toBe('C 40 / W 400 HU'));
    await drag(view(), 0, [100, 100], [130, 110]);
    expect([viewport.x, viewport.y]).toEqual([30, 10]);
    expect(readout()).toBe('C 40 / W 400 HU');
    const toggle = screen.getByRole('button', { name: 'W/L drag' });
    await fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    await drag(view(), 0, [100, 100], [100, 125]);
    expect(readout()).toBe('C 140 / W 400 HU');
    expect([viewport.x, viewport.y]).toEqual([30, 10]);
  });

  it('offers the file window, the full range and the CT presets; reset goes back to the file window', async () => {
    mount();
    await waitFor(() => expect(readout()).toBe('C 40 / W 400 HU'));
    const menu = screen.getByRole('combobox', { name: 'Window preset' }) as HTMLSelectElement;
    const labels = Array.from(menu.options).map((o) => o.textContent);
    expect(labels).toContain('SOFT TISSUE (40 / 400)');
    expect(labels).toContain('Full range (-1024 to 3071)');
    expect(labels).toContain('lung (-600 / 1500 HU)');
    await fireEvent.change(menu, { target: { value: 'preset-lung' } });
    expect(readout()).toBe('C -600 / W 1500 HU');
    await fireEvent.change(screen.getByLabelText('Width'), { target: { value: '2000' } });
    expect(readout()).toBe('C -600 / W 2000 HU');
    await fireEvent.click(screen.getByRole('button', { name: 'Reset' }));
    expect(readout()).toBe('C 40 / W 400 HU');
  });

  it('picks another frame of a multi-frame image and keeps the window', async () => {
    const { engine } = mount();
    await waitFor(() => expect(readout()).toBe('C 40 / W 400 HU'));
    await fireEvent.change(screen.getByRole('combobox', { name: 'Window preset' }), { target: { value: 'preset-bone' } });
    await fireEvent.change(screen.getByLabelText('Frame'), { target: { value: '3' } });
    await waitFor(() => expect(engine.callsOf('images.values')).toContainEqual({ imageId: 'ct-1', frame: 2 }));
    await waitFor(() => expect((screen.getByLabelText('Frame') as HTMLInputElement).value).toBe('3'));
    expect(readout()).toBe('C 400 / W 1800 HU');
    expect(screen.getByText(/The model sees frame 1, the one the image was opened with\./)).toBeTruthy();
  });

  it('offers to give the model the frame shown, only when it is not the one the model sees', async () => {
    const used: number[] = [];
    mount(ctValues, (frame) => used.push(frame));
    await waitFor(() => expect(readout()).toBe('C 40 / W 400 HU'));
    expect(screen.queryByRole('button', { name: /Explain frame/ })).toBeNull();
    await fireEvent.change(screen.getByLabelText('Frame'), { target: { value: '2' } });
    const button = await screen.findByRole('button', { name: 'Explain frame 2' });
    await fireEvent.click(button);
    expect(used).toEqual([1]);
  });

  it('draws a millimetre scale bar naming the spacing tag', async () => {
    mount();
    // 0.5 mm per frame pixel, frame 128 px shown in 64 preview px: 1 mm per preview pixel; a third of 64 px = 21.3 mm: 20 mm.
    await waitFor(() => expect(document.querySelector('.scale-bar .bar')).not.toBeNull());
    const bar = document.querySelector('.scale-bar') as HTMLElement;
    expect(bar.dataset['mm']).toBe('20');
    expect((bar.querySelector('.bar') as HTMLElement).style.width).toBe('20px');
    expect(bar.textContent).toContain('20 mm');
    expect(bar.title).toContain('Imager Pixel Spacing (at the detector, not corrected for magnification)');
  });

  it("keeps the preview's rendering of a file whose display transform is a VOI LUT until a window is dragged", async () => {
    mount((frame) => ({ ...ctValues(frame), windows: [], hasVoiLut: true, modality: 'MR' }));
    await waitFor(() => expect(readout()).toBe("File's VOI LUT"));
    expect(screen.queryByRole('img', { name: 'CT slice, windowed' })).toBeNull();
    const labels = Array.from((screen.getByRole('combobox', { name: 'Window preset' }) as HTMLSelectElement).options).map((o) => o.textContent);
    expect(labels).toEqual(['Presets…', "File's VOI LUT", 'Full range (-1024 to 3071)']); // MR: no HU presets
    await drag(screen.getByRole('group', { name: 'CT slice' }), 2, [0, 0], [10, 0]); // from the full range (C 1024 / W 4096), 40 wider
    expect(readout()).toBe('C 1024 / W 4136');
    expect(screen.getByRole('img', { name: 'CT slice, windowed' })).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Reset' }));
    expect(readout()).toBe("File's VOI LUT");
  });

  it('keeps the scale bar at screen size: drawn 10x larger, it measures less of the image', async () => {
    vi.spyOn(Element.prototype, 'getBoundingClientRect').mockImplementation(function (this: Element) {
      const width = this.classList.contains('stage') ? 640 : 0;
      return { left: 0, top: 0, x: 0, y: 0, width, height: width / 2, right: width, bottom: width / 2, toJSON: () => ({}) } as DOMRect;
    });
    mount();
    // 1 mm per preview pixel at 10 screen pixels each: 160 screen pixels hold 16 mm: 10 mm, 10 preview pixels, text 1.1 px in the stage.
    await waitFor(() => expect((document.querySelector('.scale-bar') as HTMLElement | null)?.dataset['mm']).toBe('10'));
    expect((document.querySelector('.scale-bar') as HTMLElement).style.fontSize).toBe('1.1px');
  });
});
