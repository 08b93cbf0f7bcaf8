// @vitest-environment jsdom
import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import TaskProgress from '../../../src/renderer/src/components/TaskProgress.svelte';
import { activities, progressLabel } from '../../../src/renderer/src/lib/text/progress-label';

const shown = (label: string): string => {
  const { container, unmount } = render(TaskProgress, { task: { label, done: 0, total: 0, controller: new AbortController() }, oncancel: () => undefined });
  const text = container.querySelector('.label')?.textContent ?? '';
  unmount();
  return text;
};

describe('progress labels', () => {
  it('say what is happening once, with one ellipsis', () => {
    expect(shown(activities.buildingReport)).toBe('Building the report…');
    expect(shown(activities.computing('Grad-CAM'))).toBe('Computing Grad-CAM…');
    expect(shown(activities.measuring(['deletion', 'insertion'], 'XRAI'))).toBe('Measuring deletion, insertion of XRAI…');
    expect(shown(activities.exporting('pdf'))).toBe('Exporting the PDF report…');
  });

  it('never double an ellipsis a label already has', () => {
    expect(progressLabel('Importing…')).toBe('Importing…');
    expect(progressLabel('Importing...')).toBe('Importing…');
    expect(progressLabel('Importing …… ')).toBe('Importing…');
  });
});
