// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { AuditResult } from '../../../../src/shared/contract/audit';
import AuditView from '../../../../src/renderer/src/components/audit/AuditView.svelte';
import { deferred, fakeEngine } from '../../helpers/fake-engine';

const P = '/projects/chest';

const result: AuditResult = {
  runId: 4,
  jobId: 2,
  state: 'done',
  total: 40,
  resumed: 0,
  computed: 39,
  failures: [{ path: 'broken.png', error: 'cannot decode' }],
  perClass: [
    { label: 'normal', images: 30, accuracy: 0.9, meanConfidence: 0.8 },
    { label: 'pneumonia', images: 9, accuracy: 0.5, meanConfidence: 0.7 },
  ],
  metrics: [
    { metric: 'borderMass', n: 39, mean: 0.2, ciLow: 0.15, ciHigh: 0.25 },
    { metric: 'deletion', n: 39, mean: 0.31, ciLow: 0.28, ciHigh: 0.34 },
  ],
  flags: [
    { path: 'b.png', label: 'normal', predicted: 'pneumonia', confidence: 0.95, reasons: ['misclassified as "pneumonia" with 95% confidence'] },
    { path: 'a.png', label: 'normal', predicted: 'normal', confidence: 0.6, reasons: ['60% of the attribution lies on the image border', '40% of the attribution lies in the corners'] },
  ],
  imagesPerMinute: 90,
  storage: { bytesPerImage: 200_704, msPerImage: 2, computeMsPerImage: 600 },
};

describe('AuditView', () => {
  it('summarises an audit and lists its flags worst first, each opening the inspector', async () => {
    const engine = fakeEngine({});
    const onopen = vi.fn();
    render(AuditView, { props: { api: engine.api, project: P, result, onopen } });

    const perClass = screen.getByRole('table', { name: 'Accuracy per class' });
    const rows = within(perClass).getAllByRole('row').slice(1);
    expect(rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent?.trim()))).toEqual([
      ['normal', '30', '90.0%', '80.0%'],
      ['pneumonia', '9', '50.0%', '70.0%'],
    ]);
    // The metric asked for, by name and direction; the audit's own figures apart, as labelled diagnostics.
    const metrics = screen.getByRole('table', { name: /Metric means/ });
    expect(within(metrics).getAllByRole('row').slice(1).map((r) => r.querySelector('th')!.textContent!.replace(/\s+/g, ' ').trim())).toEqual(['Deletion ↓ (lower is better)']);
    expect(within(metrics).getByRole('rowheader', { name: /Deletion/ }).querySelector('[title]')!.getAttribute('title')).toMatch(/^Deletion: The class score as .+ Lower is better\.$/);
    const diagnostics = screen.getByRole('table', { name: /Diagnostics/ });
    const border = within(diagnostics).getByRole('row', { name: /Share on the border/ });
    expect(border.textContent).toContain('0.150 – 0.250');
    expect(border.textContent).toContain('neither: a diagnostic');
    expect(border.textContent).toContain('an image is flagged when more than 50 % lies on the border');
    // No internal id is shown as text anywhere in the view.
    expect(document.body.textContent).not.toMatch(/borderMass|cornerMass/);
    // Accuracy over the labelled images: (27 + 4.5) / 39.
    expect(screen.getByText('80.8%')).toBeTruthy();
    // Every audited image is labelled: no "labelled of" note.
    expect(screen.queryByText(/labelled of/)).toBeNull();
    expect(screen.getByText('90 images/min')).toBeTruthy();
    expect(screen.getByText('1 image could not be read')).toBeTruthy();

    const flagged = screen.getByRole('list', { name: 'Flagged images' });
    const items = within(flagged).getAllByRole('listitem').filter((li) => li.parentElement === flagged);
    expect(items.map((li) => within(li).getByRole('button').textContent?.trim().split(/\s+/)[0])).toEqual(['a.png', 'b.png']);
    expect(within(items[0]!).getByRole('list', { name: 'Why a.png was flagged' }).children).toHaveLength(2);
    await fireEvent.click(screen.getByRole('button', { name: /b\.png/ }));
    expect(onopen).toHaveBeenCalledWith('b.png');
    expect(engine.calls).toEqual([]);
  });

  it('shows the audit’s warnings above its figures', () => {
    const engine = fakeEngine({});
    render(AuditView, { props: { api: engine.api, project: P, result: { ...result, warnings: ['None of the 2 labels of dataset "set" is one of the model\'s 1000 labels.'] }, onopen: vi.fn() } });
    const warnings = screen.getByRole('status', { name: 'Check before trusting these numbers' });
    expect(within(warnings).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['None of the 2 labels of dataset "set" is one of the model\'s 1000 labels.']);
  });

  it('for a past run, loads its summary and flags from the stored results', async () => {
    const engine = fakeEngine({
      'audit.summary': () => ({
        runId: 9,
        method: 'grad-cam',
        images: 2,
        total: 2,
        state: 'done',
        warnings: ['Only 1 of the 2 labels of dataset "pets" is the model\'s.'],
        perClass: [{ label: 'dog', images: 1, accuracy: 0, meanConfidence: 0.99 }],
        metrics: [{ metric: 'borderMass', n: 2, mean: 0.6, ciLow: 0.5, ciHigh: 0.7 }],
        flags: [
          { path: 'x.png', label: null, predicted: 'cat', confidence: 0.4, reasons: ['60% of the attribution lies on the image border'] },
          { path: 'y.png', label: 'dog', predicted: 'cat', confidence: 0.99, reasons: ['60% of the attribution lies on the image border', 'misclassified as "cat" with 99% confidence'] },
        ],
      }),
    });
    const onopen = vi.fn();
    render(AuditView, { props: { api: engine.api, project: P, runId: 9, onopen } });
    await waitFor(() => expect(screen.getByText('2 images flagged, worst first')).toBeTruthy());
    expect(engine.callsOf('audit.summary')).toEqual([{ project: P, runId: 9 }]);
    expect(screen.getByRole('table', { name: 'Accuracy per class' })).toBeTruthy();
    // Only diagnostics stored: no metric was asked for, and the diagnostics say so.
    expect(screen.getByText('No metrics were measured.')).toBeTruthy();
    expect(screen.getByRole('table', { name: /Diagnostics/ })).toBeTruthy();
    expect(screen.getByText(/the speed of a past run is not kept/)).toBeTruthy();
    // x.png has no label: the accuracy says it counts 1 of the 2 images.
    expect(screen.getByText('0.0%', { selector: 'dd', exact: false }).textContent).toBe('0.0% (1 labelled of 2)');
    expect(within(screen.getByRole('status', { name: 'Check before trusting these numbers' })).getByRole('listitem').textContent).toBe('Only 1 of the 2 labels of dataset "pets" is the model\'s.');
    const buttons = within(screen.getByRole('list', { name: 'Flagged images' })).getAllByRole('button');
    expect(buttons[0]!.textContent).toContain('y.png');
    await fireEvent.click(buttons[0]!);
    expect(onopen).toHaveBeenCalledWith('y.png');
  });
  it('reads a running run again when the project changes, keeping what it shows meanwhile', async () => {
    let images = 1;
    const gate = deferred<void>();
    let calls = 0;
    const engine = fakeEngine({
      'audit.summary': async () => {
        calls += 1;
        if (calls > 1) await gate.promise;
        return { runId: 9, method: 'grad-cam', images, total: 4, state: images < 4 ? 'running' : 'done', warnings: [], perClass: [{ label: 'dog', images, accuracy: 1, meanConfidence: 0.9 }], metrics: [], flags: [] };
      },
    });
    const view = render(AuditView, { props: { api: engine.api, project: P, runId: 9, revision: 0, onopen: vi.fn() } });
    const dogImages = () => within(screen.getByRole('table', { name: 'Accuracy per class' })).getByRole('row', { name: /dog/ }).querySelectorAll('td')[0]!.textContent;
    await waitFor(() => expect(dogImages()).toBe('1'));
    images = 4;
    await view.rerender({ api: engine.api, project: P, runId: 9, revision: 1, onopen: vi.fn() });
    // While the summary is read again, the last one stays on screen.
    expect(dogImages()).toBe('1');
    gate.resolve();
    await waitFor(() => expect(dogImages()).toBe('4'));
    expect(engine.callsOf('audit.summary')).toHaveLength(2);
  });
});
