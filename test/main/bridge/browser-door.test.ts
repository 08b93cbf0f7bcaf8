import { mkdirSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startBridge, type Bridge } from '../../../src/main/bridge/bridge-server';
import { localEnginePort } from '../../../src/main/engine-host/local-engine';
import type { Engine } from '../../../src/main/engine/engine';
import { realPath } from '../../../src/main/engine/paths/confine';
import { samplePath } from '../../../src/main/engine/resources';
import { createApi, type LumenApi } from '../../../src/shared/contract/api';
import { PortTransport, type MessagePortLike } from '../../../src/shared/contract/port-transport';
import { decodeFrame, encodeFrame } from '../../../src/shared/contract/wire';
import { failure } from '../../helpers/failure';
import { tempDir } from '../../helpers/tiny-models';

// Its own Lumen home: the settings this file changes are nobody else's.
process.env['LUMEN_HOME'] = tempDir('lumen-door-home-');

function socketPort(ws: WebSocket): MessagePortLike {
  return {
    postMessage: (m) => ws.send(encodeFrame(m)),
    onMessage: (l) => {
      const h = (data: Buffer, binary: boolean): void => l(decodeFrame(binary ? new Uint8Array(data) : data.toString()));
      ws.on('message', h);
      return () => ws.off('message', h);
    },
    onClose: (l) => {
      ws.on('close', () => l('closed'));
      return () => undefined;
    },
  };
}

/**
 * The browser door as a token holder sees it: through the real bridge, on an engine confined to
 * what the user chose in the page (projects opened, dataset folders imported) and Lumen's folders.
 */
describe('the browser door reads only what the user chose', () => {
  let bridge: Bridge;
  let engine: Engine;
  let closeEngine: () => Promise<void>;
  let ws: WebSocket;
  let api: LumenApi;
  const elsewhere = tempDir('lumen-elsewhere-');
  const secret = join(elsewhere, 'hostname');
  const images = tempDir('lumen-door-images-');
  const projects = tempDir('lumen-door-projects-');

  beforeAll(async () => {
    writeFileSync(secret, 'secret-host-name\n');
    copyFileSync(samplePath({ fileName: 'rocket.jpg' } as never), join(elsewhere, 'rocket.jpg'));
    mkdirSync(join(images, 'rockets'));
    copyFileSync(join(elsewhere, 'rocket.jpg'), join(images, 'rockets', 'rocket.jpg'));
    symlinkSync(join(elsewhere, 'rocket.jpg'), join(images, 'linked.jpg'));
    const staticDir = tempDir();
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Lumen</title>');
    const local = localEnginePort({ graphCacheDir: null, confinePaths: true });
    engine = local.engine;
    closeEngine = local.close;
    bridge = await startBridge({ engine: local.port, staticDir });
    ws = await new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(`ws://127.0.0.1:${bridge.port}/api?token=${bridge.token}`, { headers: { origin: `http://127.0.0.1:${bridge.port}` } });
      socket.once('open', () => resolve(socket));
      socket.once('error', reject);
    });
    api = createApi(new PortTransport(socketPort(ws)));
  });
  afterAll(async () => {
    ws.close();
    await bridge.close();
    await closeEngine();
  });

  it('models.open with a card outside the chosen folders is refused, and no error quotes a file', async () => {
    const passwd = await failure(api.call('models.open', { cardPath: '/etc/passwd' }));
    expect(passwd.message).toBe('The model card /etc/passwd is outside the folders this page may read.');
    expect(passwd.hint).toMatch(/Open the project that holds it, import its folder as a dataset, or pick the file/);
    const hostname = await failure(api.call('models.open', { cardPath: secret }));
    expect(`${hostname.message} ${hostname.hint}`).not.toContain('secret-host-name');
    // Labels are read from the card's own folder only, whichever door asks.
    const labels = await failure(api.call('models.open', { card: { labelsFile: '/etc/passwd' } }));
    expect(labels.message).toMatch(/labelsFile "\/etc\/passwd" is outside the card's folder/);
  });

  it('images.open of a file is refused until the folder is imported; the bundled samples and uploads work', async () => {
    const shadow = await failure(api.call('images.open', { source: 'file', path: '/etc/shadow' }));
    expect(shadow.details).toMatchObject({ refused: 'outside-allowed-folders' });
    await failure(api.call('images.open', { source: 'file', path: join(images, 'rockets', 'rocket.jpg') }));
    expect((await api.call('images.open', { source: 'sample', sampleId: 'rocket' })).name).toBe('rocket.jpg');
    expect((await api.call('models.open', {})).builtIn).toBe(true);
  });

  it('projects: a full path, a new or empty folder to create one in; opened, its folder and its datasets become available', async () => {
    expect((await failure(api.call('projects.open', { path: 'study', create: true }))).message).toMatch(/"study" is not a full path/);
    expect((await failure(api.call('projects.open', { path: elsewhere, create: true }))).message).toMatch(/already holds files and is not a Lumen project/);
    const study = join(projects, 'study');
    const other = join(projects, 'other');
    expect((await failure(api.call('datasets.images', { project: study, dataset: 'x' }))).message).toMatch(/has not been opened in this page/);
    expect((await api.call('projects.open', { path: study, create: true })).datasets).toEqual([]);
    const imported = await api.call('datasets.import', { project: study, dataset: 'rockets', folder: images });
    expect(imported.images.added).toBe(1);
    // The imported folder is readable now; a link in it that points out of it is not.
    expect((await api.call('images.open', { source: 'file', path: join(images, 'rockets', 'rocket.jpg') })).width).toBeGreaterThan(0);
    expect((await failure(api.call('images.open', { source: 'file', path: join(images, 'linked.jpg') }))).details).toMatchObject({ refused: 'outside-allowed-folders' });
    expect((await api.call('images.open', { source: 'project', project: study, dataset: 'rockets', path: 'rockets/rocket.jpg' })).name).toBe('rocket.jpg');
    // Inside a project the page opened, errors still never quote what a file holds.
    writeFileSync(join(study, 'card.json'), 'secret-host-name\n');
    const card = await failure(api.call('models.open', { cardPath: join(study, 'card.json') }));
    expect(card.message).toBe('card.json is not valid JSON.');
    // A project on another path is still closed to the page.
    await failure(api.call('datasets.import', { project: other, dataset: 'x', folder: images }));
    // Reports are written inside the project only: not next to the images, not anywhere else.
    const spec = { project: study, modelId: 'm', title: 'T', runs: [1] };
    for (const out of [join(elsewhere, 'report.html'), join(images, 'report.html')]) {
      expect((await failure(api.call('report.export', { spec, format: 'html', out }))).message).toBe(`The report file ${out} is outside the folders this page may write.`);
    }
    expect((await failure(api.call('report.export', { spec: { ...spec, project: other }, format: 'html', out: join(study, 'r.html') }))).message).toMatch(/has not been opened in this page/);
  });

  it('a project created by the CLI is opened from the page by its path; a re-opened engine knows only what it is told', async () => {
    const folder = join(projects, 'from-cli');
    const trusted = localEnginePort({ graphCacheDir: null });
    await createApi(new PortTransport(trusted.port)).call('projects.open', { path: folder, create: true });
    await trusted.close();
    expect((await api.call('projects.open', { path: folder })).path).toBe(folder);
    expect((await failure(api.call('datasets.images', { project: folder, dataset: 'none' }))).message).toMatch(/no dataset "none"/);
  });

  it('a path the app picked in a native dialog is granted by the engine host, not by the page', async () => {
    await failure(api.call('images.open', { source: 'file', path: join(elsewhere, 'rocket.jpg') }));
    engine.allowedRoots.allow(join(elsewhere, 'rocket.jpg'), 'read');
    expect((await api.call('images.open', { source: 'file', path: join(elsewhere, 'rocket.jpg') })).name).toBe('rocket.jpg');
    expect(engine.allowedRoots.find(join(elsewhere, 'hostname'), 'read')).toBeNull();
    expect(engine.allowedRoots.find(join(elsewhere, 'rocket.jpg'), 'write')).toBeNull();
    expect(engine.allowedRoots.find(join(projects, 'study', 'report.html'), 'write')).toBe(join(realPath(projects), 'study', 'report.html'));
  });

  it('settings: a relative cache folder is refused; a foreign folder with files in it too', async () => {
    expect((await failure(api.call('settings.set', { cacheDir: 'cache' }))).message).toMatch(/"cache" is not a full path/);
    expect((await failure(api.call('settings.set', { cacheDir: elsewhere }))).message).toMatch(/already holds files Lumen did not put there/);
    expect((await api.call('settings.set', { cacheDir: join(projects, 'new-cache') })).settings.cacheDir).toBe(join(projects, 'new-cache'));
    expect((await api.call('settings.set', { cacheDir: '' })).settings.cacheDir).toBe('');
  });
});
