import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, repoRoot } from '../helpers/built-app';
import { waitForServeUrl } from '../helpers/serve-url';

describe('npm start where Electron cannot start', () => {
  beforeAll(() => ensureBuilt());

  it('says why in one line and serves the workstation on loopback instead', async () => {
    // No display: whether or not the Electron binary is installed, Electron cannot open a window.
    const env = { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '' };
    const child = spawn(process.execPath, ['scripts/start.mjs'], { cwd: repoRoot, env });
    const { line, url } = await waitForServeUrl(child);
    expect(line).toMatch(/^Electron cannot start here \((the Electron binary is not installed|there is no display).*\); serving the workstation at http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+ \(loopback only, Ctrl\+C stops it\)$/);
    expect((await fetch(url)).status).toBe(200);
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGTERM');
    await exited;
  });
});
