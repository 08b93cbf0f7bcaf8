import { basename } from 'node:path';
import type { Handlers } from '../../../shared/contract/dispatcher';
import { lumenVersion } from '../../../shared/version';
import { defaultModelPath } from '../resources';
import { probeExecutionProviders } from '../runtime/execution-providers';
import { onnxruntimeVersion } from '../runtime/onnxruntime';
import { saveSettings } from '../settings/settings-store';
import type { EngineServices } from './engine-services';

type SettingsHandlers = Pick<Handlers, 'app.info' | 'settings.get' | 'settings.set'>;

/** What this installation is (versions, providers), and the user's settings. */
export function settingsHandlers(engine: EngineServices): SettingsHandlers {
  return {
    'app.info': async () => ({
      version: lumenVersion,
      platform: process.platform,
      arch: process.arch,
      nodeVersion: process.versions.node,
      onnxruntimeVersion: onnxruntimeVersion(),
      executionProviders: await probeExecutionProviders(),
      defaultModel: { name: 'MobileNetV2 1.0 224 (ImageNet-1k)', fileName: basename(defaultModelPath()) },
    }),

    'settings.get': async () => engine.settingsReport(),

    'settings.set': async (patch) => {
      const settings = await saveSettings(patch);
      engine.setDefaultProvider(settings.executionProvider);
      return engine.settingsReport();
    },
  };
}
