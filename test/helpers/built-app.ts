import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Tests of the CLI and of `npm start` run the real built entry points. `npm test` builds before
 * testing; this rebuilds the (fast) CLI bundle so a lone `vitest run` tests the current source,
 * and builds the renderer only when it is missing.
 */
export function ensureBuilt(): void {
  execFileSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  if (!existsSync(`${repoRoot}/out/renderer/index.html`)) {
    execFileSync('npx', ['electron-vite', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  }
}

/** Runs the built `lumen` command with extra environment variables; its exit code and output. */
export function lumenCli(env: Record<string, string>, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/lumen.mjs', ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 240_000, env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
