import { execFileSync } from 'node:child_process';
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
