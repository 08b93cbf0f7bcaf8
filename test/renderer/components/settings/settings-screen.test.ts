// @vitest-environment jsdom
import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { Settings, SettingsReport } from '../../../../src/shared/contract/settings';
import { Workspace } from '../../../../src/renderer/src/lib/state/workspace.svelte';
import SettingsScreen from '../../../../src/renderer/src/screens/SettingsScreen.svelte';
import { cudaInstallCommand, providerInstallHint } from '../../../../src/main/engine/runtime/provider-install-hint';
import { fakeEngine } from '../../helpers/fake-engine';

function report(cudaHint: string | undefined): SettingsReport {
  return SettingsReport.parse({
    settings: { executionProvider: 'auto', threads: 0, memoryBudgetMiB: 4096, cacheDir: '' },
    inUse: { executionProvider: 'cpu', fallbackReason: 'cuda: its libraries are not installed; using CPU', threads: 2, memoryBudgetMiB: 4096, cacheDir: '/tmp/cache', settingsFile: '/tmp/settings.json' },
    providers: [
      { name: 'cpu', available: true },
      { name: 'cuda', available: false, reason: 'its libraries are not installed', ...(cudaHint ? { hint: cudaHint } : {}) },
      { name: 'dml', available: false, reason: 'not supported on linux' },
    ],
    pendingRestart: [],
  });
}

describe('Settings: the execution provider', () => {
  it('where CUDA is unavailable on Linux, shows the command that installs onnxruntime\'s CUDA provider', async () => {
    const hint = providerInstallHint('cuda', 'linux', 'x64');
    const engine = fakeEngine({ 'settings.get': () => report(hint) });
    render(SettingsScreen, { ws: new Workspace(engine.api) });
    const shown = await screen.findByTestId('provider-hint-cuda');
    expect(shown.textContent).toContain(cudaInstallCommand);
    expect(shown.textContent).toMatch(/CUDA 12 and cuDNN 9/);
    expect(screen.queryByTestId('provider-hint-dml')).toBeNull();
  });

  it('no hint where the engine has none (another platform)', async () => {
    expect(providerInstallHint('cuda', 'darwin', 'arm64')).toBeUndefined();
    expect(providerInstallHint('cuda', 'linux', 'arm64')).toBeUndefined();
    expect(providerInstallHint('dml', 'linux', 'x64')).toBeUndefined();
    const engine = fakeEngine({ 'settings.get': () => report(undefined) });
    render(SettingsScreen, { ws: new Workspace(engine.api) });
    await screen.findByTestId('provider-in-use');
    expect(screen.queryByTestId('provider-hint-cuda')).toBeNull();
  });
});

describe('Settings: the memory budget', () => {
  it('shows the one default (1024 MiB on the CPU), and the field accepts it', async () => {
    const defaults = SettingsReport.parse({ ...report(undefined), settings: Settings.parse({}), inUse: { ...report(undefined).inUse, memoryBudgetMiB: Settings.parse({}).memoryBudgetMiB } });
    const engine = fakeEngine({ 'settings.get': () => defaults });
    render(SettingsScreen, { ws: new Workspace(engine.api) });
    const field = (await screen.findByLabelText('Memory budget of one run on the CPU (MiB)')) as HTMLInputElement;
    expect(field.value).toBe('1024');
    // A step the default is not on would make the browser refuse to save the form.
    expect(field.validity.valid).toBe(true);
  });
});
