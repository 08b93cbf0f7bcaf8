// @vitest-environment jsdom
import { render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import MethodParamForm from '../../../../src/renderer/src/components/forms/MethodParamForm.svelte';
import type { LayerInfo } from '../../../../src/renderer/src/lib/forms/layer-choices';
import { LumenError } from '../../../../src/shared/errors';
import { methodSchema } from '../../helpers/catalogue-schemas';
import { fakeEngine } from '../../helpers/fake-engine';

const layers: LayerInfo[] = [
  { name: 'features.7', op: 'Relu', shape: [1, 32, 4, 4], layout: 'NCHW', channels: 32, height: 4, width: 4, isDefault: false },
  { name: 'features.8', op: 'Relu', shape: [1, 64, 2, 2], layout: 'NCHW', channels: 64, height: 2, width: 2, isDefault: true },
];

describe("a method's parameter form", () => {
  it("offers the model's layers to a layer parameter, asking the engine once per model", async () => {
    const engine = fakeEngine({ 'models.layers': () => layers });
    const first = render(MethodParamForm, { api: engine.api, modelId: 'm1', schema: methodSchema('grad-cam') });
    expect(((await screen.findByRole('combobox', { name: 'Layer' })) as HTMLInputElement).value).toBe('8');
    first.unmount();
    render(MethodParamForm, { api: engine.api, modelId: 'm1', schema: methodSchema('score-cam') });
    expect(((await screen.findByRole('combobox', { name: 'Layer' })) as HTMLInputElement).value).toBe('8');
    expect(engine.callsOf('models.layers')).toEqual([{ modelId: 'm1' }]);
  });

  it('does not ask for layers for a method without a layer parameter, nor without a model', async () => {
    const engine = fakeEngine({ 'models.layers': () => layers });
    const one = render(MethodParamForm, { api: engine.api, modelId: 'm1', schema: methodSchema('integrated-gradients') });
    one.unmount();
    render(MethodParamForm, { api: engine.api, modelId: null, schema: methodSchema('grad-cam') });
    await Promise.resolve();
    expect(engine.callsOf('models.layers')).toEqual([]);
    expect((screen.getByLabelText('Layer') as HTMLInputElement).getAttribute('role')).toBeNull();
  });

  it('falls back to a text field and says why when the layers cannot be listed, and asks again next time', async () => {
    let fail = true;
    const engine = fakeEngine({
      'models.layers': () => {
        if (fail) throw new LumenError('internal', 'The shape probe ran out of memory.');
        return layers;
      },
    });
    const first = render(MethodParamForm, { api: engine.api, modelId: 'm2', schema: methodSchema('grad-cam') });
    expect(await screen.findByText(/could not be listed \(The shape probe ran out of memory\.\); type a tensor name instead/)).toBeTruthy();
    expect((screen.getByLabelText('Layer') as HTMLInputElement).type).toBe('text');
    first.unmount();
    fail = false;
    render(MethodParamForm, { api: engine.api, modelId: 'm2', schema: methodSchema('grad-cam') });
    await waitFor(() => expect(screen.getByRole('combobox', { name: 'Layer' })).toBeTruthy());
    expect(engine.callsOf('models.layers')).toHaveLength(2);
  });
});
