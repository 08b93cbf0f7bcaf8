import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkEngine } from '../../../src/main/engine-host/forked-engine';
import { PathGrants } from '../../../src/main/electron/path-grants';
import { grantsForPick } from '../../../src/main/electron/pick-grants';
import { createApi, type LumenApi } from '../../../src/shared/contract/api';
import { PortTransport } from '../../../src/shared/contract/port-transport';
import type { PickKind } from '../../../src/shared/contract/native-picks';
import { failure } from '../../helpers/failure';
import { tempDir } from '../../helpers/tiny-models';

const rocket = new URL('../../../resources/samples/rocket.jpg', import.meta.url);

/**
 * The engine as the app's main process starts it (LUMEN_CONFINE_PATHS=1), with the grants its
 * native dialogs send: a path is refused before its pick's allow-path message and accepted after,
 * with the access the pick gives it (reading a picked image does not let the page write there).
 */
describe('paths picked in the app’s native dialogs, in a real confined engine', () => {
  const home = tempDir('lumen-picks-');
  const engines: Array<ReturnType<typeof forkEngine>> = [];
  const start = (): { engine: ReturnType<typeof forkEngine>; api: LumenApi } => {
    const engine = forkEngine({ LUMEN_CONFINE_PATHS: '1', LUMEN_HOME: join(home, 'lumen-home') });
    engines.push(engine);
    return { engine, api: createApi(new PortTransport(engine.port)) };
  };
  /** What the main process does after a dialog: record the pick's grants and send them first. */
  const grants = new PathGrants();
  const pick = (engine: ReturnType<typeof forkEngine>, kind: PickKind, path: string): void => {
    for (const grant of grantsForPick(kind, [path])) {
      grants.record(grant);
      engine.port.postMessage(grant);
    }
  };
  const picked = join(home, 'picked');
  const image = join(picked, 'rocket.jpg');
  const card = join(picked, 'model.card.json');
  const study = join(home, 'study');
  const report = join(home, 'reports', 'audit.html');
  let first: ReturnType<typeof start>;
  beforeAll(async () => {
    mkdirSync(picked);
    mkdirSync(join(home, 'reports'));
    copyFileSync(rocket, image);
    writeFileSync(card, JSON.stringify({ name: 'Picked card' }));
    first = start();
    await first.api.call('projects.open', { path: study, create: true });
  });
  afterAll(async () => {
    await Promise.all(engines.map((e) => e.close()));
  });

  it('an image and a model card: refused before the pick, opened after it', async () => {
    const { engine, api } = first;
    expect((await failure(api.call('images.open', { source: 'file', path: image }))).details).toMatchObject({ refused: 'outside-allowed-folders' });
    expect((await failure(api.call('models.open', { cardPath: card }))).details).toMatchObject({ refused: 'outside-allowed-folders' });
    pick(engine, 'image', image);
    expect((await api.call('images.open', { source: 'file', path: image })).width).toBeGreaterThan(0);
    // The image's pick is that file only: the card beside it is still refused until it is picked.
    expect((await failure(api.call('models.open', { cardPath: card }))).details).toMatchObject({ refused: 'outside-allowed-folders' });
    pick(engine, 'model-card', card);
    expect((await api.call('models.open', { cardPath: card })).card.card.name).toBe('Picked card');
  });

  it('a report saved outside the project: refused before the save dialog, accepted at the picked file after', async () => {
    const { engine, api } = first;
    const spec = { project: study, modelId: 'm', title: 'T', runs: [1] };
    expect((await failure(api.call('report.export', { spec, format: 'html', out: report }))).message).toBe(`The report file ${report} is outside the folders this page may write.`);
    // A read pick of the same folder does not make it writable.
    pick(engine, 'dataset-folder', join(home, 'reports'));
    expect((await failure(api.call('report.export', { spec, format: 'html', out: report }))).details).toMatchObject({ refused: 'outside-allowed-folders' });
    pick(engine, 'report-html', report);
    // Past the door now: what stops this export is the project's own content (it has no audit 1).
    const past = await failure(api.call('report.export', { spec, format: 'html', out: report }));
    expect(past.details?.['refused']).toBeUndefined();
    expect(past.message).not.toMatch(/outside the folders/);
    // The grant is the picked file, not its folder.
    expect((await failure(api.call('report.export', { spec, format: 'html', out: join(home, 'reports', 'other.html') }))).details).toMatchObject({ refused: 'outside-allowed-folders' });
    expect(existsSync(join(home, 'reports', 'other.html'))).toBe(false);
  });

  it('a fresh engine (the last one died) is told every grant again and accepts what was picked', async () => {
    const { engine, api } = start();
    expect((await failure(api.call('images.open', { source: 'file', path: image }))).details).toMatchObject({ refused: 'outside-allowed-folders' });
    grants.replayTo(engine.port);
    expect((await api.call('images.open', { source: 'file', path: image })).width).toBeGreaterThan(0);
    expect((await api.call('models.open', { cardPath: card })).card.card.name).toBe('Picked card');
  });
});
