import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, repoRoot } from '../../../helpers/built-app';
import { corpusMeta, corpusNames, corpusRoot } from './corpus';

/** The built `lumen` command, run without blocking the test worker (21 runs of a few seconds each). */
async function lumen(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['bin/lumen.mjs', ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** `lumen info` (the built command) opens every corpus model and reports what the file says. */
describe('lumen info on the model corpus', () => {
  beforeAll(() => ensureBuilt());

  it.each(corpusNames())('%s', async (name) => {
    const meta = corpusMeta(name);
    const r = await lumen('info', '--model', `${corpusRoot}${name}/model.onnx`, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout) as {
      irVersion: number;
      opsets: Array<{ domain: string; version: number }>;
      inputs: Array<{ name: string; elementType: string }>;
      card: { card: { input: { layout: string; height: number; width: number } } };
    };
    expect(info.irVersion).toBe(meta.irVersion);
    expect(info.opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version).toBe(meta.opset);
    expect(info.inputs[0]).toMatchObject({ name: meta.inputName, elementType: name === 'float16_io' ? 'float16' : 'float' });
    expect(info.card.card.input).toMatchObject({ layout: meta.layout, height: meta.h, width: meta.w });
  }, 120_000);
});
