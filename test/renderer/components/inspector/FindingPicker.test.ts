// @vitest-environment jsdom
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { Finding } from '../../../../src/shared/contract/classification';
import FindingPicker from '../../../../src/renderer/src/components/inspector/FindingPicker.svelte';
import FindingTable from '../../../../src/renderer/src/components/audit/FindingTable.svelte';
import AuditView from '../../../../src/renderer/src/components/audit/AuditView.svelte';
import type { AuditResult } from '../../../../src/shared/contract/audit';
import { fakeEngine } from '../../helpers/fake-engine';

// Given out of order on purpose: the picker lists the most probable first.
const findings: Finding[] = [
  { index: 0, label: 'Atelectasis', probability: 0.414, logit: -0.35, threshold: 0.5, present: false },
  { index: 3, label: 'Nodule', probability: 0.956, logit: 3.08, threshold: 0.4, present: true },
  { index: 1, label: 'Cardiomegaly', probability: 0.55, logit: 0.2, threshold: 0.6, present: false },
  { index: 2, label: 'Effusion', probability: 0.768, logit: 1.2, threshold: 0.5, present: true },
];

describe('FindingPicker', () => {
  it('lists the findings most probable first with probability, decision and the threshold marked on each bar', () => {
    render(FindingPicker, { props: { findings, target: 3 } });
    expect(screen.getByRole('heading').textContent).toContain('2 of 4 present');
    const items = within(screen.getByRole('list', { name: 'Findings, most probable first' })).getAllByRole('listitem');
    expect(items.map((li) => li.querySelector('.label')!.textContent)).toEqual(['Nodule', 'Effusion', 'Cardiomegaly', 'Atelectasis']);
    expect(items.map((li) => li.querySelector('.value')!.textContent)).toEqual(['95.6%', '76.8%', '55.0%', '41.4%']);
    expect(items.map((li) => li.querySelector('.badge')!.textContent)).toEqual(['present', 'present', 'absent', 'absent']);
    // Cardiomegaly at 55% is below its own 60% threshold: absent although above 50%.
    expect(items[2]!.querySelector('.meta')!.textContent).toBe('55.0% < threshold 60.0%');
    expect(items[0]!.querySelector('.meta')!.textContent).toBe('95.6% ≥ threshold 40.0%');
    const marks = items.map((li) => li.querySelector<HTMLElement>('.threshold')!);
    expect(marks.map((m) => m.style.left)).toEqual(['40%', '50%', '60%', '50%']);
    const widths = items.map((li) => parseFloat(li.querySelector<HTMLElement>('.bar')!.style.width));
    [95.6, 76.8, 55, 41.4].forEach((w, k) => expect(widths[k]).toBeCloseTo(w, 6));
    expect(screen.getByText(/objective "sigmoid"/)).toBeTruthy();
    // Without onpick the list is read-only.
    expect(screen.queryAllByRole('button')).toHaveLength(0);
  });

  it('picks the explained finding: the target is pressed, a click on another hands its index', async () => {
    const onpick = vi.fn();
    render(FindingPicker, { props: { findings, target: 3, onpick } });
    expect(screen.getByRole('button', { name: 'Explain Nodule' }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByRole('button', { name: 'Explain Effusion' }).getAttribute('aria-pressed')).toBe('false');
    await fireEvent.click(screen.getByRole('button', { name: 'Explain Cardiomegaly' }));
    expect(onpick).toHaveBeenCalledWith(1);
  });
});

describe('FindingTable', () => {
  it('shows per finding AUROC, sensitivity and specificity with intervals, FP and FN, and dataset labels it ignored', () => {
    const estimate = (value: number | null, ciLow: number | null, ciHigh: number | null) => ({ value, ciLow, ciHigh });
    render(FindingTable, {
      props: {
        audit: {
          findings: [
            { finding: 'Effusion', threshold: 0.5, images: 15, positives: 6, auroc: estimate(0.759, 0.481, 0.981), sensitivity: estimate(0.833, 0.5, 1), specificity: estimate(0.444, 0.111, 0.778), falsePositives: 5, falseNegatives: 1 },
            { finding: 'Hernia', threshold: 0.3, images: 4, positives: 0, auroc: estimate(null, null, null), sensitivity: estimate(null, null, null), specificity: estimate(1, 1, 1), falsePositives: 0, falseNegatives: 0 },
          ],
          unmatchedLabels: ['Mass'],
        },
      },
    });
    const table = screen.getByRole('table', { name: /Per finding/ });
    const rows = within(table).getAllByRole('row').slice(1).map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent?.trim()));
    expect(rows).toEqual([
      ['Effusion', '50.0%', '15 (6)', '0.759 0.481 – 0.981', '0.833 0.500 – 1.000', '0.444 0.111 – 0.778', '5', '1'],
      ['Hernia', '30.0%', '4 (0)', '—', '—', '1.000 1.000 – 1.000', '0', '0'],
    ]);
    expect(screen.getByRole('note').textContent).toContain('Mass');
  });
});

describe('AuditView of a multi-label audit', () => {
  it('shows the finding table where a single-label audit shows accuracy per class', () => {
    const none = { value: null, ciLow: null, ciHigh: null };
    const result: AuditResult = {
      runId: 7,
      jobId: 1,
      state: 'done',
      total: 2,
      resumed: 0,
      computed: 2,
      failures: [],
      perClass: [],
      metrics: [],
      flags: [{ path: 'a.png', label: 'Effusion', predicted: 'Nodule', confidence: 0.9, reasons: ['false positive: Nodule 90% ≥ threshold 50%'] }],
      multiLabel: { findings: [{ finding: 'Nodule', threshold: 0.5, images: 2, positives: 0, auroc: none, sensitivity: none, specificity: { value: 0.5, ciLow: 0, ciHigh: 1 }, falsePositives: 1, falseNegatives: 0 }], unmatchedLabels: [] },
      imagesPerMinute: 60,
      storage: { bytesPerImage: 4096, msPerImage: 1, computeMsPerImage: 10 },
    };
    render(AuditView, { props: { api: fakeEngine({}).api, project: '/p', result, onopen: () => {} } });
    expect(screen.getByRole('table', { name: /Per finding/ })).toBeTruthy();
    expect(screen.queryByRole('table', { name: 'Accuracy per class' })).toBeNull();
    expect(screen.getByText('false positive: Nodule 90% ≥ threshold 50%', { exact: false })).toBeTruthy();
    // Its label lists findings: the top finding differing from it is no "mistake".
    expect(screen.queryByText('✗', { exact: false })).toBeNull();
  });
});
