// @vitest-environment jsdom
import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { ProjectSummary } from '../../../../src/shared/contract/project';
import AuditLauncher from '../../../../src/renderer/src/components/jobs/AuditLauncher.svelte';
import { Workspace } from '../../../../src/renderer/src/lib/state/workspace.svelte';
import { methodSchema } from '../../helpers/catalogue-schemas';
import { fakeEngine } from '../../helpers/fake-engine';
import { tinyModelSummary } from '../../helpers/tiny-model-summary';

const model = tinyModelSummary();

function launcher(images: number, selection: string[] = []) {
  const ws = new Workspace(fakeEngine({}).api);
  ws.model = model;
  ws.methods = [{ id: 'grad-cam', family: 'cam', label: 'Grad-CAM', summary: '', output: 'map', stochastic: false, reference: '', params: methodSchema('grad-cam') }];
  ws.project = ProjectSummary.parse({ path: '/p', name: 'p', schemaVersion: 1, demo: false, datasets: [{ name: 'xray', images, labels: [], annotated: 0 }], runs: [] });
  render(AuditLauncher, { props: { ws, dataset: 'xray', selection } });
  const button = () => screen.getByRole('button', { name: /^Audit/ });
  const setLimit = (n: string) => fireEvent.input(screen.getByLabelText('At most (images)'), { target: { value: n } });
  return { button, setLimit };
}

describe('the audit button says how many images it will audit', () => {
  it('all of the dataset, or as many as "At most" allows', async () => {
    const { button, setLimit } = launcher(120);
    expect(button().textContent?.trim()).toBe('Audit all 120 images');
    await setLimit('4');
    expect(button().textContent?.trim()).toBe('Audit 4 of 120 images');
    await setLimit('500');
    expect(button().textContent?.trim()).toBe('Audit all 120 images');
  });

  it('the selected images, or as many of them as "At most" allows', async () => {
    const { button, setLimit } = launcher(120, ['a.png', 'b.png', 'c.png']);
    expect(button().textContent?.trim()).toBe('Audit 3 selected');
    await setLimit('2');
    expect(button().textContent?.trim()).toBe('Audit 2 of 3 selected');
  });
});
