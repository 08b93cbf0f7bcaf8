// @vitest-environment jsdom
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import ParamForm from '../../../../src/renderer/src/components/forms/ParamForm.svelte';
import type { LayerInfo } from '../../../../src/renderer/src/lib/forms/layer-choices';
import type { FieldsState } from '../../../../src/renderer/src/lib/forms/validate-fields';
import { methodSchema, methodZod } from '../../helpers/catalogue-schemas';

/** A small ResNet's maps as `models.layers` lists them (PyTorch names), the last one the default. */
function info(name: string, op: string, channels: number, size: number, isDefault = false): LayerInfo {
  return { name, op, shape: [1, channels, size, size], layout: 'NCHW', channels, height: size, width: size, isDefault };
}
const layers: LayerInfo[] = [
  info('/conv1/Conv_output_0', 'Conv', 8, 32),
  info('/layer2/layer2.0/relu/Relu_output_0', 'Relu', 16, 8),
  info('/layer3/layer3.1/conv2/Conv_output_0', 'Conv', 32, 4),
  info('/layer3/layer3.1/relu_1/Relu_output_0', 'Relu', 32, 4, true),
];

function mount(props: Record<string, unknown> = {}) {
  const onchange = vi.fn<(state: FieldsState) => void>();
  const result = render(ParamForm, { props: { schema: methodSchema('grad-cam'), onchange, layers, ...props } });
  const last = (): FieldsState => onchange.mock.lastCall![0];
  return { ...result, last };
}

const picker = (): HTMLInputElement => screen.getByRole('combobox', { name: 'Layer' });
const describedText = (el: HTMLElement): string =>
  (el.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => (id ? (document.getElementById(id)?.textContent ?? '') : ''))
    .join(' ');
const options = (): HTMLElement[] => within(screen.getByRole('listbox', { name: 'Layers', hidden: true })).queryAllByRole('option', { hidden: true });

describe('the layer picker', () => {
  it('is the Layer field of a method with a layer parameter, showing the default layer shortened, with GUI help', () => {
    const { last } = mount();
    expect(picker().value).toBe('layer3.1/relu_1/Relu');
    expect(picker().title).toBe('/layer3/layer3.1/relu_1/Relu_output_0');
    expect(picker().getAttribute('aria-expanded')).toBe('false');
    expect(screen.getByText('Relu [32, 4, 4] · default')).toBeTruthy();
    expect(describedText(picker())).toMatch(/feature map the method reads/);
    expect(describedText(picker())).not.toMatch(/lumen layers/);
    expect(last()).toMatchObject({ params: {}, valid: true });
  });

  it('lists every layer with its short name, full name in the tooltip, [C, H, W] shape, and the default marked', async () => {
    mount();
    await fireEvent.keyDown(picker(), { key: 'ArrowDown' });
    expect(picker().getAttribute('aria-expanded')).toBe('true');
    const all = options();
    expect(all.map((o) => o.querySelector('.short')?.textContent)).toEqual(['conv1/Conv', 'layer2.0/relu/Relu', 'layer3.1/conv2/Conv', 'layer3.1/relu_1/Relu']);
    expect(all.map((o) => o.title)).toEqual(layers.map((l) => l.name));
    expect(all[1]!.textContent).toContain('[16, 8, 8]');
    expect(all.map((o) => o.textContent?.includes('default'))).toEqual([false, false, false, true]);
    // The layer in effect is selected and highlighted first.
    expect(all[3]!.getAttribute('aria-selected')).toBe('true');
    expect(picker().getAttribute('aria-activedescendant')).toBe(all[3]!.id);
  });

  it('filters as you type, and arrow keys and Enter pick a layer whose full name is sent', async () => {
    const { last } = mount();
    await fireEvent.input(picker(), { target: { value: 'layer3' } });
    expect(options().map((o) => o.title)).toEqual([layers[2]!.name, layers[3]!.name]);
    expect(picker().getAttribute('aria-activedescendant')).toBe(options()[0]!.id);
    await fireEvent.keyDown(picker(), { key: 'ArrowDown' });
    await fireEvent.keyDown(picker(), { key: 'ArrowDown' }); // stays on the last one
    await fireEvent.keyDown(picker(), { key: 'ArrowUp' });
    await fireEvent.keyDown(picker(), { key: 'Enter' });
    expect(last().params).toEqual({ layer: '/layer3/layer3.1/conv2/Conv_output_0' });
    expect(methodZod('grad-cam').safeParse(last().params).success).toBe(true);
    expect(picker().value).toBe('layer3.1/conv2/Conv');
    expect(picker().getAttribute('aria-expanded')).toBe('false');
    expect(screen.getByText('Conv [32, 4, 4]')).toBeTruthy();
  });

  it('filters on the op and shape too, says when nothing matches, and Escape restores the choice', async () => {
    mount();
    await fireEvent.input(picker(), { target: { value: 'conv 32' } });
    expect(options().map((o) => o.title)).toEqual([layers[0]!.name, layers[2]!.name]);
    await fireEvent.input(picker(), { target: { value: 'attention' } });
    expect(options()).toHaveLength(0);
    expect(screen.getByText('No layer matches "attention".')).toBeTruthy();
    await fireEvent.keyDown(picker(), { key: 'Enter' });
    await fireEvent.keyDown(picker(), { key: 'Escape' });
    expect(picker().value).toBe('layer3.1/relu_1/Relu');
    expect(picker().getAttribute('aria-expanded')).toBe('false');
  });

  it('picking the default layer sends no layer (the engine applies its default); a click picks too', async () => {
    const { last } = mount({ initial: { layer: layers[0]!.name } });
    expect(picker().value).toBe('conv1/Conv');
    expect(last().params).toEqual({ layer: layers[0]!.name });
    await fireEvent.click(picker());
    await fireEvent.click(options()[3]!);
    expect(last().params).toEqual({});
    await fireEvent.click(picker());
    await fireEvent.click(options()[1]!);
    expect(last().params).toEqual({ layer: layers[1]!.name });
  });

  it('shows a name this model does not have in full, and a model without maps says CAM does not apply', () => {
    const { unmount } = mount({ initial: { layer: 'other-model/block4' } });
    expect(picker().value).toBe('other-model/block4');
    unmount();
    mount({ layers: [] });
    expect(picker().disabled).toBe(true);
    expect(screen.getByText(/no spatial feature map/)).toBeTruthy();
  });

  it('is a text field with the schema help while the layers are not known', () => {
    mount({ layers: null });
    expect(screen.queryByRole('combobox', { name: 'Layer' })).toBeNull();
    const text = screen.getByLabelText('Layer') as HTMLInputElement;
    expect(text.type).toBe('text');
    expect(describedText(text)).toMatch(/ONNX tensor name/);
  });
});
