// @vitest-environment jsdom
import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { describeMethods } from '../../../../src/main/engine/methods/describe';
import MethodPanel from '../../../../src/renderer/src/components/inspector/MethodPanel.svelte';
import XraiPanel from '../../../../src/renderer/src/components/inspector/XraiPanel.svelte';
import { DisplaySettings } from '../../../../src/renderer/src/lib/state/display.svelte';
import { Workspace } from '../../../../src/renderer/src/lib/state/workspace.svelte';
import { fakeEngine } from '../../helpers/fake-engine';

describe('the inspector: XRAI', () => {
  it('has no "Area threshold" field: the highlighted-area slider is its only control', async () => {
    const ws = new Workspace(fakeEngine({}).api);
    ws.methods = describeMethods();
    render(MethodPanel, { ws });
    await fireEvent.change(screen.getByRole('combobox', { name: 'Method' }), { target: { value: 'xrai' } });
    // The form is XRAI's (its other parameters are there)…
    const labels = (await screen.findAllByText(/./, { selector: 'label' })).map((l) => l.textContent?.trim());
    expect(labels).toContain('Segments');
    // …without the threshold the slider sets.
    expect(labels).not.toContain('Area threshold');
    expect(screen.queryByText(/area threshold/i)).toBeNull();
    expect(ws.methods.find((m) => m.id === 'xrai')?.params['properties']).toHaveProperty('areaThreshold');
  });

  it('counts highlighted regions in the right number', () => {
    const regions = { ranks: Int32Array.of(1, 1, 2, 2), list: [{ rank: 1, gain: 1, area: 2, cumulativeArea: 0.5 }, { rank: 2, gain: 0.5, area: 2, cumulativeArea: 1 }] };
    const one = render(XraiPanel, { regions, display: new DisplaySettings(), highlighted: { fraction: 0.5, regions: 1 }, pixels: 4 });
    expect(one.container.querySelector('.shown')?.textContent).toBe('50.0% of the image in 1 region');
    one.unmount();
    const two = render(XraiPanel, { regions, display: new DisplaySettings(), highlighted: { fraction: 1, regions: 2 }, pixels: 4 });
    expect(two.container.querySelector('.shown')?.textContent).toBe('100.0% of the image in 2 regions');
  });
});
