import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import { lumenHome } from '../../../../src/main/engine/lumen-home';
import { providerInUse } from '../../../../src/main/engine/settings/settings-report';
import { settingsFile } from '../../../../src/main/engine/settings/settings-store';
import { testApi } from '../../../helpers/engine';
import { tempDir } from '../../../helpers/tiny-models';
import { failure } from '../../../helpers/failure';
import { defaultMemoryBudgetMiB } from '../../../../src/shared/memory-budget';

const home = tempDir('lumen-home-');
const cache = tempDir('lumen-cache-');
process.env['LUMEN_HOME'] = home;
process.env['LUMEN_CACHE_DIR'] = cache;

const defaults = { executionProvider: 'auto', threads: 0, memoryBudgetMiB: defaultMemoryBudgetMiB.cpu, cacheDir: '' };

describe('settings.get and settings.set', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  beforeAll(() => ({ api, close } = testApi()));
  afterAll(() => close());
  beforeEach(() => rmSync(settingsFile(), { force: true }));

  it('the home folder is LUMEN_HOME; without a settings file, the defaults and what the engine uses', async () => {
    expect(lumenHome()).toBe(home);
    const report = await api.call('settings.get', {});
    expect(report.settings).toEqual(defaults);
    expect(report.inUse).toMatchObject({ threads: 0, cacheDir: cache, settingsFile: join(home, 'settings.json') });
    expect(report.providers[0]).toEqual({ name: 'cpu', available: true });
    // `auto` is the first available accelerator, else CPU with the reason.
    expect(report.inUse.executionProvider).toBe(providerInUse('auto', report.providers).executionProvider);
    if (report.inUse.executionProvider === 'cpu') expect(report.inUse.fallbackReason).toMatch(/using CPU$/);
    expect(report.pendingRestart).toEqual([]);
    expect(existsSync(settingsFile())).toBe(false);
  });

  it('a change names only its fields; the file keeps the others; threads, cache folder and memory budget wait for a restart', async () => {
    await api.call('settings.set', { executionProvider: 'cpu', memoryBudgetMiB: 2048 });
    const report = await api.call('settings.set', { threads: 2 });
    expect(report.settings).toEqual({ ...defaults, executionProvider: 'cpu', memoryBudgetMiB: 2048, threads: 2 });
    expect(JSON.parse(readFileSync(settingsFile(), 'utf8'))).toEqual(report.settings);
    expect(report.inUse).toMatchObject({ executionProvider: 'cpu', threads: 0, cacheDir: cache, memoryBudgetMiB: defaultMemoryBudgetMiB.cpu });
    expect(report.inUse.fallbackReason).toBeUndefined();
    expect(report.pendingRestart).toEqual(['threads', 'memoryBudgetMiB']);
    const moved = tempDir();
    expect((await api.call('settings.set', { cacheDir: moved })).pendingRestart).toEqual(['threads', 'cacheDir', 'memoryBudgetMiB']);
    // Back to what the engine runs with: nothing pending.
    expect((await api.call('settings.set', { threads: 0, cacheDir: '', memoryBudgetMiB: defaultMemoryBudgetMiB.cpu })).pendingRestart).toEqual([]);
    expect((await api.call('settings.get', {})).settings).toEqual({ ...defaults, executionProvider: 'cpu' });
  });

  it('an engine started after the change uses it: threads, cache folder, and the provider of models opened later', async () => {
    const moved = tempDir();
    await api.call('settings.set', { threads: 2, cacheDir: moved, executionProvider: 'cpu' });
    const fresh = testApi();
    try {
      const report = await fresh.api.call('settings.get', {});
      expect(report.inUse).toMatchObject({ threads: 2, cacheDir: moved, executionProvider: 'cpu' });
      expect(report.pendingRestart).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  it('a relative cache folder is refused in every door, and one already in a settings file is not used', async () => {
    const refused = await failure(api.call('settings.set', { cacheDir: 'lumen-cache' }));
    expect(refused.message).toBe('The cache folder "lumen-cache" is not a full path.');
    expect(refused.hint).toMatch(/full path/);
    expect(existsSync(settingsFile())).toBe(false);
    writeFileSync(settingsFile(), JSON.stringify({ ...defaults, cacheDir: 'relative/cache' }));
    const fresh = testApi();
    try {
      expect((await fresh.api.call('settings.get', {})).inUse.cacheDir).toBe(cache);
    } finally {
      await fresh.close();
    }
  });

  it('the execution provider applies to models opened from then on ("auto" means the setting)', async () => {
    await api.call('settings.set', { executionProvider: 'cpu' });
    const onCpu = await api.call('models.open', {});
    expect(onCpu.executionProvider).toEqual({ requested: 'cpu', used: 'cpu' });
    const report = await api.call('settings.set', { executionProvider: 'auto' });
    const onAuto = await api.call('models.open', {});
    expect(onAuto.executionProvider.requested).toBe('auto');
    expect(onAuto.executionProvider.used).toBe(report.inUse.executionProvider);
    expect(onAuto.id).not.toBe(onCpu.id);
    // An explicit request wins over the setting.
    await api.call('settings.set', { executionProvider: 'cuda' });
    expect((await api.call('models.open', { executionProvider: 'cpu' })).executionProvider).toEqual({ requested: 'cpu', used: 'cpu' });
  });

  it('invalid values are refused with the field named, and the file is left as it was', async () => {
    await api.call('settings.set', { threads: 3 });
    const before = readFileSync(settingsFile(), 'utf8');
    for (const [patch, field] of [
      [{ threads: -1 }, 'threads'],
      [{ threads: 1.5 }, 'threads'],
      [{ memoryBudgetMiB: 10 }, 'memoryBudgetMiB'],
      [{ executionProvider: 'tpu' }, 'executionProvider'],
      [{ colour: 'blue' }, 'colour'],
    ] as const) {
      const error = await failure(api.call('settings.set', patch as never));
      expect(error.code).toBe('invalid-request');
      expect(error.message).toContain(field);
    }
    expect(readFileSync(settingsFile(), 'utf8')).toBe(before);
  });

  it('a damaged settings file means the defaults and a notice, never a crash; a change replaces it', async () => {
    for (const damage of ['{ oops', 'secret-host-name\n', JSON.stringify({ threads: 'many' }), JSON.stringify({ threads: 2, unknown: true }), 'null']) {
      writeFileSync(settingsFile(), damage);
      const notices: string[] = [];
      const stop = api.on('notice', (n) => notices.push(n.message));
      const report = await api.call('settings.get', {});
      stop();
      expect(report.settings).toEqual(defaults);
      expect(notices).toEqual([expect.stringMatching(/settings file .*settings\.json is damaged .*; Lumen uses the default settings/)]);
      // The notice reaches the page: it says where the file is broken, never what it holds.
      expect(notices[0]).not.toMatch(/secret|oops/);
      // An engine starting with it starts with the defaults.
      const fresh = testApi();
      expect((await fresh.api.call('settings.get', {})).inUse.threads).toBe(0);
      await fresh.close();
    }
    const report = await api.call('settings.set', { threads: 1 });
    expect(report.settings).toEqual({ ...defaults, threads: 1 });
    expect(JSON.parse(readFileSync(settingsFile(), 'utf8'))).toEqual({ ...defaults, threads: 1 });
  });
});
