import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, lumenCli, repoRoot } from '../../helpers/built-app';
import { waitForServeUrl } from '../../helpers/serve-url';
import { tempDir } from '../../helpers/tiny-models';

const lumen = (...args: string[]) => lumenCli({}, ...args);

describe('the lumen command (built entry, node bin/lumen.mjs)', () => {
  beforeAll(() => ensureBuilt());

  it('classify prints the top-k table', () => {
    const r = lumen('classify', '--image', 'resources/samples/coffee.png', '--top', '3');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^coffee\.png: MobileNetV2 1\.0 224 \(ImageNet-1k\), CPU/);
    expect(r.stdout).toMatch(/1\.\s+espresso\s+9\d\.\d%\s+#967/);
    expect(r.stdout.trim().split('\n')).toHaveLength(5);
  });

  it('classify --json prints one parseable object with timings and provider', () => {
    const r = lumen('classify', '-i', 'resources/samples/grace_hopper.png', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { predictions: Array<{ label: string; rank: number }>; timings: { totalMs: number }; executionProvider: { used: string }; model: { sha256: string } };
    expect(out.predictions).toHaveLength(5);
    expect(out.predictions[0]!.label).toBe('military uniform');
    expect(out.timings.totalMs).toBeGreaterThan(0);
    expect(out.executionProvider.used).toBe('cpu');
    expect(out.model.sha256).toBe('c8e253c23f8a67a653357cd1d0a59b23e03fed08f47af6b6ecc055a510b23a84');
  });

  it('info describes the model: io, opset, operator histogram, parameters, card', () => {
    const r = lumen('info');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/inputs\s+input float\[batch, 3, 224, 224\]/);
    expect(r.stdout).toMatch(/opsets\s+ai\.onnx 13/);
    expect(r.stdout).toMatch(/Conv\s+53/);
    expect(r.stdout).toMatch(/parameters\s+3,487,886/);
    const json = JSON.parse(lumen('info', '--json').stdout) as { operators: Record<string, number>; parameterCount: number; card: { sources: Record<string, string> } };
    expect(json.operators['Clip']).toBe(35);
    expect(json.parameterCount).toBe(3_487_886);
    expect(json.card.sources['preprocess.mean']).toBe('card');
  });

  it.each(['classify', 'attribute', 'methods', 'info', 'serve'])('%s --help explains its options', (command) => {
    const r = lumen(command, '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: lumen /m);
    expect(r.stdout).toMatch(/--help/);
  });

  it('lumen --help lists the commands; no command is a usage error', () => {
    const help = lumen('--help').stdout;
    for (const command of ['classify', 'attribute', 'methods', 'info', 'serve']) expect(help).toMatch(new RegExp(`^  ${command} +\\S`, 'm'));
    expect(lumen().code).toBe(2);
  });

  it.each([
    [['classify'], /image: is required/],
    [['classify', '--image', 'x.png', '--top', 'many'], /top: /],
    [['classify', '--image', 'x.png', '--bogus'], /Unknown option '--bogus'/],
    [['info', '--provider', 'tpu'], /provider: /],
    [['explain'], /unknown command "explain"/],
  ])('usage errors exit with 2 and say what was wrong: %j', (args, message) => {
    const r = lumen(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('work errors exit with 1; with --json they are printed as {"error"}', () => {
    const dir = tempDir();
    const notOnnx = join(dir, 'x.onnx');
    writeFileSync(notOnnx, 'plain text');
    const r = lumen('info', '--model', notOnnx);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: x\.onnx is not an ONNX model/);
    const j = lumen('classify', '--image', join(dir, 'none.png'), '--json');
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({ error: { code: 'not-found' } });
  });

  it('serve prints a loopback URL with a token and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['bin/lumen.mjs', 'serve'], { cwd: repoRoot });
    const { url } = await waitForServeUrl(child);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<title>Lumen<\/title>/);
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
