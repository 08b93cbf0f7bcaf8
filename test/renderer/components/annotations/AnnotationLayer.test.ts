// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AnnotationShape, type Annotation } from '../../../../src/shared/contract/annotations';
import type { ImageSummary } from '../../../../src/shared/contract/image';
import AnnotationLayer from '../../../../src/renderer/src/components/annotations/AnnotationLayer.svelte';
import type { AnnotationEdit } from '../../../../src/renderer/src/lib/annotations/types';
import { Viewport } from '../../../../src/renderer/src/lib/viewer/viewport.svelte';
import LayerInView from './LayerInView.svelte';

// A 2048 x 1536 image whose preview is 1024 x 768.
const image: ImageSummary = {
  id: 'sha-1',
  name: 'chest.png',
  format: 'png',
  width: 2048,
  height: 1536,
  channels: 1,
  bitDepth: 8,
  preview: { mime: 'image/png', width: 1024, height: 768, data: new Uint8Array() },
};

/** The layer's SVG drawn on screen at 2x the preview (so one screen pixel = one image pixel), at (100, 50). */
const screenRect = { left: 100, top: 50, width: 2048, height: 1536 };
const at = (x: number, y: number) => ({ clientX: screenRect.left + x, clientY: screenRect.top + y });

const note = (over: Partial<Annotation> & { id: number; shape: AnnotationShape }): Annotation => ({
  text: '',
  color: '#ffcc00',
  author: 'dr-house',
  createdAt: '2025-03-01T10:00:00.000Z',
  updatedAt: '2025-03-01T10:00:00.000Z',
  ...over,
});

function surface(): SVGSVGElement {
  const svg = document.querySelector('svg.surface');
  if (!(svg instanceof SVGSVGElement)) throw new Error('no annotation surface');
  return svg;
}

function mount(props: Partial<{ tool: 'none' | 'select' | 'box' | 'arrow' | 'freehand' | 'text'; annotations: Annotation[]; color: string; selectedId: number | null }> = {}) {
  const onsave = vi.fn<(edit: AnnotationEdit) => Promise<Annotation | null>>(async (edit) => note({ id: edit.id ?? 41, shape: edit.shape, text: edit.text, color: edit.color }));
  const ondelete = vi.fn<(id: number) => void>();
  const result = render(AnnotationLayer, { props: { image, annotations: [], onsave, ondelete, ...props } });
  return { ...result, onsave, ondelete };
}

let reachedBody: string[] = [];
const record = (event: Event): void => {
  reachedBody.push(event.type);
};

beforeEach(() => {
  reachedBody = [];
  document.body.addEventListener('pointerdown', record);
  document.body.addEventListener('keydown', record);
  vi.spyOn(Element.prototype, 'getBoundingClientRect').mockImplementation(function (this: Element) {
    const rect = this instanceof SVGSVGElement && this.classList.contains('surface') ? screenRect : { left: 0, top: 0, width: 0, height: 0 };
    return { ...rect, x: rect.left, y: rect.top, right: rect.left + rect.width, bottom: rect.top + rect.height, toJSON: () => rect } as DOMRect;
  });
});

afterEach(() => {
  document.body.removeEventListener('pointerdown', record);
  document.body.removeEventListener('keydown', record);
  vi.restoreAllMocks();
});

describe('AnnotationLayer', () => {
  it('is sized in preview pixels with a viewBox in image pixels', () => {
    mount();
    const svg = surface();
    expect(svg.getAttribute('width')).toBe('1024');
    expect(svg.getAttribute('height')).toBe('768');
    expect(svg.getAttribute('viewBox')).toBe('0 0 2048 1536');
  });

  it('drawing a box with the pointer saves it in image pixels, whichever way it was dragged, and selects it', async () => {
    const { onsave, rerender } = mount({ tool: 'box', color: '#ff4d4f' });
    const svg = surface();
    await fireEvent.pointerDown(svg, { button: 0, pointerId: 1, ...at(300, 400) });
    // The zoom/pan view underneath never sees the press: it would pan instead.
    expect(reachedBody).not.toContain('pointerdown');
    await fireEvent.pointerMove(svg, { pointerId: 1, ...at(200, 300) });
    // The draft follows the pointer.
    const draft = svg.querySelector('.draft rect.line');
    expect(draft?.getAttribute('x')).toBe('200');
    expect(draft?.getAttribute('width')).toBe('100');
    await fireEvent.pointerMove(svg, { pointerId: 1, ...at(100, 200) });
    await fireEvent.pointerUp(svg, { pointerId: 1, ...at(100, 200) });
    expect(onsave).toHaveBeenCalledTimes(1);
    expect(onsave).toHaveBeenCalledWith({ shape: { kind: 'box', x0: 100, y0: 200, x1: 300, y1: 400 }, text: '', color: '#ff4d4f' });

    // The saved box is selected: once it is in the list, its note editor shows.
    const saved = await onsave.mock.results[0]!.value;
    await rerender({ annotations: [saved!] });
    const editor = await screen.findByRole('group', { name: 'Box annotation' });
    expect(within(editor).getByRole('button', { name: 'Delete' })).toBeTruthy();
  });

  it('positions are read at any zoom: the same drag on a layer shown at 1x gives twice the image pixels', async () => {
    vi.spyOn(Element.prototype, 'getBoundingClientRect').mockImplementation(function (this: Element) {
      const rect = this instanceof SVGSVGElement ? { left: 0, top: 0, width: 1024, height: 768 } : { left: 0, top: 0, width: 0, height: 0 };
      return { ...rect, x: 0, y: 0, right: rect.width, bottom: rect.height, toJSON: () => rect } as DOMRect;
    });
    const { onsave } = mount({ tool: 'arrow' });
    const svg = surface();
    await fireEvent.pointerDown(svg, { button: 0, pointerId: 3, clientX: 10.25, clientY: 20 });
    await fireEvent.pointerMove(svg, { pointerId: 3, clientX: 400, clientY: 300 });
    await fireEvent.pointerUp(svg, { pointerId: 3, clientX: 500, clientY: 600 });
    expect(onsave).toHaveBeenCalledWith({ shape: { kind: 'arrow', from: [20.5, 40], to: [1000, 1200] }, text: '', color: '#ffcc00' });
  });

  it('a click with a drawing tool (no drag) draws nothing', async () => {
    const { onsave } = mount({ tool: 'box' });
    const svg = surface();
    await fireEvent.pointerDown(svg, { button: 0, pointerId: 1, ...at(50, 50) });
    await fireEvent.pointerUp(svg, { pointerId: 1, ...at(51, 50) });
    expect(onsave).not.toHaveBeenCalled();
    expect(svg.querySelector('.draft')).toBeNull();
  });

  it('a free-hand stroke of thousands of pointer events is saved as a few hundred points', async () => {
    const { onsave } = mount({ tool: 'freehand' });
    const svg = surface();
    await fireEvent.pointerDown(svg, { button: 0, pointerId: 2, ...at(600, 400) });
    for (let i = 1; i <= 3000; i++) {
      const a = (i / 3000) * Math.PI * 2;
      const r = 200 + 15 * Math.sin(a * 25);
      await fireEvent.pointerMove(svg, { pointerId: 2, ...at(400 + r * Math.cos(a), 400 + r * Math.sin(a)) });
    }
    await fireEvent.pointerUp(svg, { pointerId: 2, ...at(600, 400) });
    expect(onsave).toHaveBeenCalledTimes(1);
    const edit = onsave.mock.calls[0]![0];
    expect(edit.shape.kind).toBe('freehand');
    const points = edit.shape.kind === 'freehand' ? edit.shape.points : [];
    expect(points.length).toBeGreaterThan(20);
    expect(points.length).toBeLessThanOrEqual(500);
    expect(points[0]).toEqual([600, 400]);
    expect(AnnotationShape.safeParse(edit.shape).success).toBe(true);
  });

  it("with tool 'none' the layer takes no pointer events: they go on to the view underneath", async () => {
    const { onsave } = mount({ tool: 'none', annotations: [note({ id: 1, shape: { kind: 'box', x0: 10, y0: 10, x1: 90, y1: 90 }, text: 'Nodule' })] });
    const svg = surface();
    expect(svg.style.pointerEvents).toBe('none');
    expect(svg.getAttribute('tabindex')).toBe('-1');
    await fireEvent.pointerDown(svg, { button: 0, pointerId: 1, ...at(10, 10) });
    await fireEvent.pointerMove(svg, { pointerId: 1, ...at(300, 300) });
    await fireEvent.pointerUp(svg, { pointerId: 1, ...at(300, 300) });
    expect(reachedBody).toContain('pointerdown');
    expect(onsave).not.toHaveBeenCalled();
    expect(svg.querySelector('.draft')).toBeNull();
    // Shapes are still shown, each named by its kind and text, with no hit area to click.
    expect(screen.getByRole('img', { name: 'Box: Nodule' })).toBeTruthy();
    expect(svg.querySelector('.hit')).toBeNull();
  });

  it('every shape is drawn with non-scaling strokes and named by its kind and text; arrows have a head', () => {
    mount({
      annotations: [
        note({ id: 1, shape: { kind: 'box', x0: 10, y0: 10, x1: 90, y1: 90 }, text: 'Nodule, 8 mm' }),
        note({ id: 2, shape: { kind: 'arrow', from: [0, 0], to: [50, 50] }, color: '#36d399' }),
        note({ id: 3, shape: { kind: 'freehand', points: [[1, 1], [20, 30], [40, 5]] }, text: 'Effusion' }),
        note({ id: 4, shape: { kind: 'text', at: [300, 200] }, text: 'Compare with 2023' }),
      ],
    });
    for (const name of ['Box: Nodule, 8 mm', 'Arrow (no text)', 'Outline: Effusion', 'Note: Compare with 2023']) {
      const shape = screen.getByRole('img', { name });
      expect(shape.querySelector('title')?.textContent).toBe(name);
    }
    const svg = surface();
    for (const line of svg.querySelectorAll('.line')) expect(line.getAttribute('vector-effect')).toBe('non-scaling-stroke');
    const arrow = svg.querySelector('[data-kind="arrow"] line.line')!;
    const marker = arrow.getAttribute('marker-end')!.match(/^url\(#(.+)\)$/)![1]!;
    expect(svg.querySelector(`marker[id="${marker}"] path`)?.getAttribute('fill')).toBe('#36d399');
    // The note's text and the box's caption are drawn on the image.
    expect([...svg.querySelectorAll('text.caption')].map((t) => t.textContent)).toEqual(['Nodule, 8 mm', 'Effusion', 'Compare with 2023']);
  });

  it('select: a click selects a shape (the view does not pan); edit its note; Delete key or button deletes it', async () => {
    const box = note({ id: 5, shape: { kind: 'box', x0: 100, y0: 100, x1: 400, y1: 300 }, text: 'Nodule' });
    const { onsave, ondelete } = mount({ tool: 'select', annotations: [box] });
    const svg = surface();
    const shape = screen.getByRole('button', { name: 'Box: Nodule' });
    expect(shape.getAttribute('aria-pressed')).toBe('false');
    await fireEvent.pointerDown(shape.querySelector('.hit')!, { button: 0, pointerId: 1, ...at(100, 150) });
    expect(reachedBody).not.toContain('pointerdown');
    expect(shape.getAttribute('aria-pressed')).toBe('true');

    const editor = screen.getByRole('group', { name: 'Box annotation' });
    expect(within(editor).getByText('Nodule', { selector: 'p' })).toBeTruthy();
    expect(within(editor).getByText(/dr-house/)).toBeTruthy();
    const field = within(editor).getByLabelText('Note') as HTMLTextAreaElement;
    expect(field.value).toBe('Nodule');
    const save = within(editor).getByRole('button', { name: 'Save' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    await fireEvent.input(field, { target: { value: 'Nodule, spiculated' } });
    // Keys typed in the note stay there: "0" or "-" would otherwise zoom the view.
    await fireEvent.keyDown(field, { key: '0' });
    expect(reachedBody).not.toContain('keydown');
    await fireEvent.keyDown(field, { key: 'Enter' });
    expect(onsave).toHaveBeenCalledWith({ id: 5, shape: box.shape, text: 'Nodule, spiculated', color: '#ffcc00' });

    // Backspace in the field edits the text; Delete on the layer deletes the annotation.
    await fireEvent.keyDown(field, { key: 'Backspace' });
    expect(ondelete).not.toHaveBeenCalled();
    await fireEvent.keyDown(svg, { key: 'Delete' });
    await waitFor(() => expect(ondelete).toHaveBeenCalledWith(5));
    expect(screen.queryByRole('group', { name: 'Box annotation' })).toBeNull();

    // Select it again and use the button.
    await fireEvent.pointerDown(shape.querySelector('.hit')!, { button: 0, pointerId: 1, ...at(100, 150) });
    await fireEvent.click(within(screen.getByRole('group', { name: 'Box annotation' })).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(ondelete).toHaveBeenCalledTimes(2));
  });

  it('select: dragging a shape moves it (in image pixels, kept inside the image); a click alone saves nothing', async () => {
    const box = note({ id: 5, shape: { kind: 'box', x0: 100, y0: 100, x1: 400, y1: 300 }, text: 'Nodule', color: '#ff4d4f' });
    const { onsave } = mount({ tool: 'select', annotations: [box] });
    const svg = surface();
    const shape = screen.getByRole('button', { name: 'Box: Nodule' });
    // The inside of a box is a handle for moving it (not only its outline).
    await fireEvent.pointerDown(shape.querySelector('.hit')!, { button: 0, pointerId: 1, ...at(200, 200) });
    expect(reachedBody).not.toContain('pointerdown');
    await fireEvent.pointerMove(svg, { pointerId: 1, ...at(201, 201) });
    await fireEvent.pointerUp(svg, { pointerId: 1, ...at(201, 201) });
    expect(onsave).not.toHaveBeenCalled();
    expect(shape.getAttribute('aria-pressed')).toBe('true');

    await fireEvent.pointerDown(shape.querySelector('.hit')!, { button: 0, pointerId: 2, ...at(200, 200) });
    await fireEvent.pointerMove(svg, { pointerId: 2, ...at(230, 190) });
    await fireEvent.pointerMove(svg, { pointerId: 2, ...at(250.5, 180) });
    // The shape follows the pointer on screen before it is saved.
    expect(shape.querySelector('rect.line')!.getAttribute('x')).toBe('150.5');
    await fireEvent.pointerUp(svg, { pointerId: 2, ...at(250.5, 180) });
    expect(onsave).toHaveBeenCalledWith({ id: 5, shape: { kind: 'box', x0: 150.5, y0: 80, x1: 450.5, y1: 280 }, text: 'Nodule', color: '#ff4d4f', change: 'move' });

    // Far past the corner of the 2048 x 1536 image: it stops there, its size kept.
    await fireEvent.pointerDown(shape.querySelector('.hit')!, { button: 0, pointerId: 3, ...at(200, 200) });
    await fireEvent.pointerMove(svg, { pointerId: 3, ...at(5000, -900) });
    await fireEvent.pointerUp(svg, { pointerId: 3, ...at(5000, -900) });
    expect(onsave).toHaveBeenLastCalledWith({ id: 5, shape: { kind: 'box', x0: 1748, y0: 0, x1: 2048, y1: 200 }, text: 'Nodule', color: '#ff4d4f', change: 'move' });
  });

  it('select: a selected box has eight handles; dragging one resizes it; Escape during a drag puts it back', async () => {
    const box = note({ id: 5, shape: { kind: 'box', x0: 100, y0: 100, x1: 400, y1: 300 } });
    const { onsave } = mount({ tool: 'select', annotations: [box], selectedId: 5 });
    const svg = surface();
    const handles = [...svg.querySelectorAll('[data-handle]')].map((h) => h.getAttribute('data-handle'));
    expect(handles).toEqual(['nw', 'n', 'ne', 'e', 'se', 's', 'sw', 'w']);
    await fireEvent.pointerDown(svg.querySelector('[data-handle="se"]')!, { button: 0, pointerId: 1, ...at(400, 300) });
    await fireEvent.pointerMove(svg, { pointerId: 1, ...at(520, 450) });
    await fireEvent.pointerUp(svg, { pointerId: 1, ...at(520, 450) });
    expect(onsave).toHaveBeenCalledWith({ id: 5, shape: { kind: 'box', x0: 100, y0: 100, x1: 520, y1: 450 }, text: '', color: '#ffcc00', change: 'resize' });

    await fireEvent.pointerDown(svg.querySelector('[data-handle="n"]')!, { button: 0, pointerId: 2, ...at(250, 100) });
    await fireEvent.pointerMove(svg, { pointerId: 2, ...at(250, 20) });
    await fireEvent.keyDown(svg, { key: 'Escape' });
    await fireEvent.pointerUp(svg, { pointerId: 2, ...at(250, 20) });
    expect(onsave).toHaveBeenCalledTimes(1);
    // Still selected, drawn where it was.
    expect(screen.getByRole('button', { name: 'Box (no text)' }).getAttribute('aria-pressed')).toBe('true');
    expect(svg.querySelector('.shape rect.line')!.getAttribute('y')).toBe('100');
  });

  it('select: an arrow is resized by either end; an outline scales by its bounding box; a note has no handles', async () => {
    const arrow = note({ id: 1, shape: { kind: 'arrow', from: [100, 100], to: [300, 200] } });
    const outline = note({ id: 2, shape: { kind: 'freehand', points: [[500, 500], [600, 500], [600, 700]] } });
    const text = note({ id: 3, shape: { kind: 'text', at: [900, 900] }, text: 'here' });
    const { onsave, rerender } = mount({ tool: 'select', annotations: [arrow, outline, text], selectedId: 1 });
    const svg = surface();
    expect([...svg.querySelectorAll('[data-handle]')].map((h) => h.getAttribute('data-handle'))).toEqual(['from', 'to']);
    await fireEvent.pointerDown(svg.querySelector('[data-handle="from"]')!, { button: 0, pointerId: 1, ...at(100, 100) });
    await fireEvent.pointerMove(svg, { pointerId: 1, ...at(-50, 60) });
    await fireEvent.pointerUp(svg, { pointerId: 1, ...at(-50, 60) });
    expect(onsave).toHaveBeenLastCalledWith({ id: 1, shape: { kind: 'arrow', from: [0, 60], to: [300, 200] }, text: '', color: '#ffcc00', change: 'resize' });

    await rerender({ selectedId: 2 });
    await fireEvent.pointerDown(svg.querySelector('[data-handle="se"]')!, { button: 0, pointerId: 2, ...at(600, 700) });
    await fireEvent.pointerMove(svg, { pointerId: 2, ...at(700, 900) });
    await fireEvent.pointerUp(svg, { pointerId: 2, ...at(700, 900) });
    expect(onsave).toHaveBeenLastCalledWith({ id: 2, shape: { kind: 'freehand', points: [[500, 500], [700, 500], [700, 900]] }, text: '', color: '#ffcc00', change: 'resize' });

    await rerender({ selectedId: 3 });
    expect(svg.querySelectorAll('[data-handle]')).toHaveLength(0);
  });

  it('select: arrow keys nudge the selected shape (Shift: 10 px), saved once when the key is let go; the view does not pan', async () => {
    const text = note({ id: 3, shape: { kind: 'text', at: [900, 900] }, text: 'here' });
    const { onsave } = mount({ tool: 'select', annotations: [text], selectedId: 3 });
    const svg = surface();
    await fireEvent.keyDown(svg, { key: 'ArrowRight', shiftKey: true });
    await fireEvent.keyDown(svg, { key: 'ArrowRight', shiftKey: true });
    await fireEvent.keyDown(svg, { key: 'ArrowUp' });
    expect(reachedBody).not.toContain('keydown');
    expect(onsave).not.toHaveBeenCalled();
    await fireEvent.keyUp(svg, { key: 'ArrowUp' });
    expect(onsave).toHaveBeenCalledTimes(1);
    expect(onsave).toHaveBeenCalledWith({ id: 3, shape: { kind: 'text', at: [920, 899] }, text: 'here', color: '#ffcc00', change: 'move' });
    // Without a selection the arrows are the view's.
    await fireEvent.keyDown(svg, { key: 'Escape' });
    await fireEvent.keyDown(svg, { key: 'ArrowLeft' });
    expect(reachedBody).toContain('keydown');
  });

  it('select: a press on empty space deselects and goes on to the view (it pans)', async () => {
    mount({ tool: 'select', selectedId: 5, annotations: [note({ id: 5, shape: { kind: 'arrow', from: [0, 0], to: [100, 100] } })] });
    expect(screen.getByRole('group', { name: 'Arrow annotation' })).toBeTruthy();
    await fireEvent.pointerDown(surface(), { button: 0, pointerId: 1, ...at(900, 900) });
    expect(reachedBody).toContain('pointerdown');
    expect(screen.queryByRole('group', { name: 'Arrow annotation' })).toBeNull();
  });

  it('Backspace deletes the selected annotation too; without a selection, Delete does nothing', async () => {
    const { ondelete } = mount({ tool: 'select', annotations: [note({ id: 8, shape: { kind: 'text', at: [5, 5] }, text: 'x' })] });
    await fireEvent.keyDown(surface(), { key: 'Delete' });
    expect(ondelete).not.toHaveBeenCalled();
    await fireEvent.pointerDown(screen.getByRole('button', { name: 'Note: x' }).querySelector('circle')!, { button: 0, pointerId: 1, ...at(5, 5) });
    await fireEvent.keyDown(surface(), { key: 'Backspace' });
    await waitFor(() => expect(ondelete).toHaveBeenCalledWith(8));
  });

  it('text: a click places a note and asks for its text inline; Enter adds it, Escape cancels', async () => {
    const { onsave } = mount({ tool: 'text', color: '#38bdf8' });
    const svg = surface();
    await fireEvent.pointerDown(svg, { button: 0, pointerId: 1, ...at(512.333, 256) });
    await fireEvent.pointerUp(svg, { pointerId: 1, ...at(512.333, 256) });
    const editor = screen.getByRole('group', { name: 'New note' });
    const field = within(editor).getByRole('textbox', { name: 'Note' }) as HTMLTextAreaElement;
    expect(document.activeElement).toBe(field);
    const add = within(editor).getByRole('button', { name: 'Add' }) as HTMLButtonElement;
    expect(add.disabled).toBe(true);
    await fireEvent.input(field, { target: { value: '  Old fracture  ' } });
    await fireEvent.keyDown(field, { key: 'Enter' });
    expect(onsave).toHaveBeenCalledWith({ shape: { kind: 'text', at: [512.33, 256] }, text: 'Old fracture', color: '#38bdf8' });
    expect(screen.queryByRole('group', { name: 'New note' })).toBeNull();

    await fireEvent.pointerDown(svg, { button: 0, pointerId: 1, ...at(10, 10) });
    await fireEvent.keyDown(screen.getByRole('textbox', { name: 'Note' }), { key: 'Escape' });
    expect(screen.queryByRole('group', { name: 'New note' })).toBeNull();
    expect(onsave).toHaveBeenCalledTimes(1);
  });

  it('Escape cancels a stroke being drawn', async () => {
    const { onsave } = mount({ tool: 'box' });
    const svg = surface();
    await fireEvent.pointerDown(svg, { button: 0, pointerId: 1, ...at(10, 10) });
    await fireEvent.pointerMove(svg, { pointerId: 1, ...at(200, 200) });
    await fireEvent.keyDown(svg, { key: 'Escape' });
    expect(svg.querySelector('.draft')).toBeNull();
    await fireEvent.pointerUp(svg, { pointerId: 1, ...at(200, 200) });
    expect(onsave).not.toHaveBeenCalled();
  });
});

describe('AnnotationLayer inside the zoom/pan view', () => {
  beforeEach(() => {
    vi.stubGlobal(
      'ResizeObserver',
      class {
        observe(): void {}
        disconnect(): void {}
      },
    );
    // jsdom has no pointer capture; the view asks for it when a drag starts.
    Object.defineProperty(HTMLElement.prototype, 'setPointerCapture', { configurable: true, value: () => undefined });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    Reflect.deleteProperty(HTMLElement.prototype, 'setPointerCapture');
  });

  const drag = async (target: Element, from: [number, number], to: [number, number]): Promise<void> => {
    await fireEvent.pointerDown(target, { button: 0, pointerId: 9, ...at(...from) });
    await fireEvent.pointerMove(target, { pointerId: 9, ...at(...to) });
    await fireEvent.pointerUp(target, { pointerId: 9, ...at(...to) });
  };

  it("with tool 'none' a drag pans the view; with the box tool the same drag draws and does not pan", async () => {
    const viewport = new Viewport();
    const onsave = vi.fn();
    const { rerender } = render(LayerInView, { props: { image, viewport, tool: 'none', onsave } });
    // With pointer-events: none the browser would hit the view itself; jsdom does not hit-test.
    await drag(screen.getByRole('group', { name: 'Chest X-ray' }), [100, 100], [160, 130]);
    expect([viewport.x, viewport.y]).toEqual([60, 30]);
    expect(onsave).not.toHaveBeenCalled();

    await rerender({ tool: 'box' });
    await drag(surface(), [100, 100], [160, 130]);
    expect([viewport.x, viewport.y]).toEqual([60, 30]);
    expect(onsave).toHaveBeenCalledWith({ shape: { kind: 'box', x0: 100, y0: 100, x1: 160, y1: 130 }, text: '', color: '#ffcc00' });
  });

  it('keys typed in a note do not zoom or pan the view', async () => {
    const viewport = new Viewport();
    render(LayerInView, { props: { image, viewport, tool: 'text', onsave: vi.fn() } });
    await fireEvent.pointerDown(surface(), { button: 0, pointerId: 1, ...at(50, 50) });
    const field = screen.getByRole('textbox', { name: 'Note' });
    for (const key of ['0', '+', '-', 'ArrowLeft']) await fireEvent.keyDown(field, { key });
    expect([viewport.zoom, viewport.x, viewport.y]).toEqual([1, 0, 0]);
  });
});
