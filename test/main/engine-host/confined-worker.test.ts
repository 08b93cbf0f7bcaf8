import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkEngine } from '../../../src/main/engine-host/forked-engine';
import { createApi, type LumenApi } from '../../../src/shared/contract/api';
import { PortTransport } from '../../../src/shared/contract/port-transport';
import { failure } from '../../helpers/failure';
import { tempDir } from '../../helpers/tiny-models';

/**
 * The engine process as `lumen serve` starts it (LUMEN_CONFINE_PATHS=1): requests are confined,
 * and only its parent can grant a path (what the app's main process does for a native dialog).
 */
describe('a confined engine process', () => {
  let engine: ReturnType<typeof forkEngine>;
  let api: LumenApi;
  const picked = tempDir('lumen-picked-');
  const card = join(picked, 'model.card.json');
  beforeAll(() => {
    writeFileSync(card, JSON.stringify({ name: 'Picked card' }));
    engine = forkEngine({ LUMEN_CONFINE_PATHS: '1', LUMEN_HOME: tempDir('lumen-worker-home-') });
    api = createApi(new PortTransport(engine.port));
  });
  afterAll(() => engine.close());

  it('refuses a path nobody chose, and takes it once the parent grants it', async () => {
    expect((await failure(api.call('models.open', { cardPath: card }))).details).toMatchObject({ refused: 'outside-allowed-folders' });
    // A grant that is not a full path, or not of a known access, is ignored.
    engine.port.postMessage({ type: 'allow-path', path: 'model.card.json', access: 'read' });
    engine.port.postMessage({ type: 'allow-path', path: card, access: 'everything' });
    await failure(api.call('models.open', { cardPath: card }));
    engine.port.postMessage({ type: 'allow-path', path: card, access: 'read' });
    expect((await api.call('models.open', { cardPath: card })).card.card.name).toBe('Picked card');
  });
});
