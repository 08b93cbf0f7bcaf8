// @vitest-environment jsdom
// The store as the inspector uses it (loaded from an $effect) with the toolbar, on a real engine and project.
import { join } from 'node:path';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import type { AnnotationStore } from '../../../../src/renderer/src/lib/annotations/annotation-store.svelte';
import { importFolder } from '../../../../src/main/engine/project/dataset-import';
import { ProjectStore } from '../../../../src/main/engine/project/project-store';
import { testApi } from '../../../helpers/engine';
import { tempDir } from '../../../helpers/tiny-models';
import NotesHarness from './NotesHarness.svelte';

describe('annotation undo/redo in the inspector wiring', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  const project = join(tempDir(), 'study');
  const image = { project, dataset: 'samples', path: 'coffee.png' };
  const other = { project, dataset: 'samples', path: 'rocket.jpg' };

  beforeAll(async () => {
    ({ api, close } = testApi());
    const store = ProjectStore.open(project, { create: true });
    await importFolder(store, 'samples', 'resources/samples');
    store.close();
  });
  afterAll(() => close());

  it('loading from an effect does not loop; Ctrl+Z and Ctrl+Y undo and redo in the project; another image clears it', async () => {
    let notes: AnnotationStore | undefined;
    const { rerender } = render(NotesHarness, { props: { api, ref: image, onstore: (s: AnnotationStore) => (notes = s) } });
    await waitFor(() => expect(notes!.loading).toBe(false));
    await notes!.save({ shape: { kind: 'arrow', from: [10, 10], to: [90, 60] }, text: '', color: '#ffcc00' });
    const undo = await screen.findByRole('button', { name: 'Undo drawing an arrow' });
    expect((undo as HTMLButtonElement).disabled).toBe(false);

    await fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true });
    await waitFor(async () => expect(await api.call('annotations.list', image)).toEqual([]));
    await screen.findByRole('button', { name: 'Redo drawing an arrow' });
    await fireEvent.keyDown(document.body, { key: 'y', ctrlKey: true });
    await waitFor(async () => expect((await api.call('annotations.list', image)).map((a) => a.shape.kind)).toEqual(['arrow']));
    await screen.findByRole('button', { name: 'Undo drawing an arrow' });

    await rerender({ ref: other });
    await waitFor(() => expect((screen.getByRole('button', { name: 'Undo' }) as HTMLButtonElement).disabled).toBe(true));
    expect(notes!.annotations).toEqual([]);
  });
});
