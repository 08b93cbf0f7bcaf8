import { isAbsolute, join } from 'node:path';
import { LumenError } from '../../../shared/errors';
import { Settings, type SettingsPatch } from '../../../shared/contract/settings';
import { readJsonState, readJsonStateSync, writeJsonState, type JsonState } from '../json-state';
import { lumenHome } from '../lumen-home';

/** The settings file: `settings.json` in Lumen's home folder. */
export function settingsFile(): string {
  return join(lumenHome(), 'settings.json');
}

export const defaultSettings: Settings = Settings.parse({});

/** Settings as read; `problem` says why the file was not used (damaged), the defaults standing in. */
export interface LoadedSettings {
  settings: Settings;
  problem?: string;
}

function fromState(state: JsonState<Settings>): LoadedSettings {
  switch (state.state) {
    case 'ok':
      return { settings: state.value };
    case 'missing':
      return { settings: defaultSettings };
    case 'damaged':
      return { settings: defaultSettings, problem: `The settings file ${settingsFile()} is damaged (${state.reason}); Lumen uses the default settings until a setting is changed.` };
  }
}

export async function loadSettings(): Promise<LoadedSettings> {
  return fromState(await readJsonState(settingsFile(), Settings));
}

/** For the engine's constructor, which must know threads and cache folder before anything runs. */
export function loadSettingsSync(): LoadedSettings {
  return fromState(readJsonStateSync(settingsFile(), Settings));
}

/**
 * Applies a change to the stored settings and writes them back whole. A damaged file is replaced
 * by the defaults with the change applied. The patch was validated by the contract already; the
 * result is validated again so that a file Lumen writes always reads back.
 */
export async function saveSettings(patch: SettingsPatch): Promise<Settings> {
  // A relative folder would mean a different place for every working directory Lumen starts in.
  if (patch.cacheDir !== undefined && patch.cacheDir !== '' && !isAbsolute(patch.cacheDir)) {
    throw new LumenError('invalid-argument', `The cache folder "${patch.cacheDir}" is not a full path.`, 'Give the full path of a folder (e.g. /home/me/.cache/lumen), or leave it empty for the default.', { field: 'cacheDir' });
  }
  const { settings } = await loadSettings();
  const next = Settings.parse({ ...settings, ...patch });
  await writeJsonState(settingsFile(), next);
  return next;
}
