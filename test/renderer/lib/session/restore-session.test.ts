import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import type { ProjectSummary } from '../../../../src/shared/contract/project';
import { restoreSession, screenToRestore, type RestorableWorkspace } from '../../../../src/renderer/src/lib/session/restore-session';
import { sessionText } from '../../../../src/renderer/src/lib/text/session';
import { asLumenError } from '../../../../src/renderer/src/lib/state/errors';
import { testApi } from '../../../helpers/engine';
import { tempDir } from '../../../helpers/tiny-models';

/** The workspace's state and its openImage as far as a restore goes, over the real engine. */
function workspace(api: LumenApi): RestorableWorkspace & { opened: string[] } {
  const ws: RestorableWorkspace & { opened: string[] } = {
    api,
    opened: [],
    model: null,
    project: null,
    dataset: null,
    runId: null,
    screen: 'start',
    imageRef: null,
    error: null,
    async openImage(ref) {
      try {
        const image =
          ref.kind === 'sample'
            ? await api.call('images.open', { source: 'sample', sampleId: ref.sampleId })
            : ref.kind === 'project'
              ? await api.call('images.open', { source: 'project', project: ref.project, dataset: ref.dataset, path: ref.path })
              : null;
        if (!image) return;
        ws.opened.push(image.name);
        ws.imageRef = ref;
        ws.screen = 'inspector';
      } catch (e) {
        ws.error = asLumenError(e);
      }
    },
  };
  return ws;
}

describe('coming back to where the user was', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let demo: ProjectSummary;
  beforeAll(async () => {
    ({ api, close } = testApi());
    demo = await api.call('projects.demo', {});
  });
  afterAll(() => close());

  it('reopens the project, its dataset, a project image and the screen', async () => {
    const ws = workspace(api);
    const path = (await api.call('datasets.images', { project: demo.path, dataset: 'samples', offset: 0, limit: 1 })).rows[0]!.path;
    const notices = await restoreSession(ws, {
      version: 1,
      screen: 'compare',
      project: demo.path,
      dataset: 'samples',
      runId: 999,
      image: { kind: 'project', project: demo.path, dataset: 'samples', path },
    });
    expect(notices).toEqual([]);
    expect(ws.project?.path).toBe(demo.path);
    expect(ws.dataset).toBe('samples');
    // A run that is no longer in the project is not shown.
    expect(ws.runId).toBeNull();
    expect(ws.imageRef).toEqual({ kind: 'project', project: demo.path, dataset: 'samples', path });
    expect(ws.screen).toBe('compare');
  });

  it('reopens a sample image without a project', async () => {
    const ws = workspace(api);
    const sample = (await api.call('samples.list', {}))[0]!;
    expect(await restoreSession(ws, { version: 1, screen: 'inspector', image: { kind: 'sample', sampleId: sample.id } })).toEqual([]);
    expect(ws.opened).toEqual([sample.fileName]);
    expect(ws.screen).toBe('inspector');
  });

  it('says the project is gone and comes back to Start, with no error in the banner', async () => {
    const gone = join(tempDir('lumen-restore-'), 'moved-away');
    rmSync(gone, { recursive: true, force: true });
    const ws = workspace(api);
    const notices = await restoreSession(ws, { version: 1, screen: 'dataset', project: gone, dataset: 'x', image: { kind: 'project', project: gone, dataset: 'x', path: 'a.png' } });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(`The last project (${gone}) could not be reopened: There is no folder`);
    expect(ws.project).toBeNull();
    expect(ws.opened).toEqual([]);
    expect(ws.screen).toBe('start');
    expect(ws.error).toBeNull();
  });

  it('says that a file image cannot be read again after a reload, and shows the project instead of an empty inspector', async () => {
    const ws = workspace(api);
    const notices = await restoreSession(ws, { version: 1, screen: 'inspector', project: demo.path, image: { kind: 'file', name: 'scan.png' } });
    expect(notices).toEqual([sessionText.fileImage('scan.png')]);
    expect(ws.screen).toBe('dataset');
  });

  it('says when an image of the project cannot be opened any more', async () => {
    const ws = workspace(api);
    const notices = await restoreSession(ws, { version: 1, screen: 'inspector', project: demo.path, image: { kind: 'project', project: demo.path, dataset: 'samples', path: 'no-such.png' } });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/^The last image \(no-such\.png\) could not be reopened: ./);
    expect(ws.error).toBeNull();
    expect(ws.screen).toBe('dataset');
  });

  it('says an added model is gone when the engine no longer has it open', async () => {
    const ws = workspace(api);
    const notices = await restoreSession(ws, { version: 1, screen: 'models', model: { sha256: 'f'.repeat(64), fileName: 'resnet.onnx', builtIn: false } });
    expect(notices).toEqual([sessionText.modelGone('resnet.onnx')]);
    expect(ws.screen).toBe('models');
  });

  it('finds an added model among the engine\'s open models by its digest', async () => {
    const opened = await api.call('models.open', {});
    const ws = workspace(api);
    // As if the page had the default open and the user had added this one (same file, here).
    const notices = await restoreSession(ws, { version: 1, screen: 'settings', model: { sha256: opened.sha256, fileName: opened.fileName, builtIn: false } });
    expect(notices).toEqual([]);
    expect(ws.model?.id).toBe(opened.id);
  });
});

describe('the screen to come back to', () => {
  it.each([
    [undefined, true, true, 'start'],
    ['report', false, false, 'report'],
    ['audit', false, false, 'start'],
    ['audit', true, false, 'audit'],
    ['inspector', true, false, 'dataset'],
    ['compare', false, false, 'start'],
    ['inspector', false, true, 'inspector'],
  ] as const)('%s with project %s and image %s → %s', (screen, project, image, expected) => {
    expect(screenToRestore(screen, { project, image })).toBe(expected);
  });
});
