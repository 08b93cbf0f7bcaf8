import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * `npm start` for real, without Electron (no display: it serves the workstation to a browser), run
 * under `sh -c` as npm runs it. What it starts — start.mjs, `lumen serve`, the engine process —
 * must all stop when it is told to, and the port must stop answering.
 */

const root = join(import.meta.dirname, '..', '..');

/** Every process below `pid` (from /proc), living or not yet reaped. */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid …": comm may hold spaces and parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const walk = (p: number): void => {
    for (const [child, parent] of parents) if (parent === p) found.push(child), walk(child);
  };
  walk(pid);
  return found;
}

/** Whether a process still runs (a zombie waiting to be reaped has stopped). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function until(what: string, test: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

let started: { shell: ChildProcess; home: string; tree: number[] } | null = null;

/** `sh -c 'node scripts/start.mjs'` (as npm runs it), once it serves; its URL and every process it started. */
async function start(): Promise<{ shell: ChildProcess; url: string; tree: number[] }> {
  const home = mkdtempSync(join(tmpdir(), 'lumen-start-'));
  const env: NodeJS.ProcessEnv = { ...process.env, LUMEN_HOME: home, LUMEN_CACHE_DIR: join(home, 'cache') };
  delete env['DISPLAY'];
  delete env['WAYLAND_DISPLAY'];
  // "; true" keeps the shell from replacing itself with node, as npm's shell does not.
  const shell = spawn('sh', ['-c', 'node scripts/start.mjs --port 0; true'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  started = { shell, home, tree: [] };
  let output = '';
  shell.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  shell.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  await until('it serves', () => /http:\/\/127\.0\.0\.1:\d+\S*/.test(output), 60_000).catch((e: Error) => {
    throw new Error(`${e.message}; it printed: ${output}`);
  });
  const url = /http:\/\/127\.0\.0\.1:\d+\S*/.exec(output)![0];
  const tree = descendants(shell.pid!);
  started.tree = tree;
  return { shell, url, tree };
}

afterEach(() => {
  if (!started) return;
  for (const pid of started.tree) if (running(pid)) process.kill(pid, 'SIGKILL');
  rmSync(started.home, { recursive: true, force: true });
  started = null;
});

describe('npm start without a display (serving to a browser)', () => {
  it('stops everything it started when its npm shell is terminated', async () => {
    const { shell, url, tree } = await start();
    // start.mjs, `lumen serve` and the engine process.
    expect(tree.length).toBeGreaterThanOrEqual(3);
    expect(await answers(url)).toBe(true);
    process.kill(shell.pid!, 'SIGTERM');
    await until('every process it started has stopped', () => tree.every((pid) => !running(pid)), 20_000);
    expect(await answers(url)).toBe(false);
  }, 120_000);

  it('stops everything it started on SIGTERM to start.mjs itself', async () => {
    const { url, tree } = await start();
    process.kill(tree[0]!, 'SIGTERM');
    await until('every process it started has stopped', () => tree.every((pid) => !running(pid)), 20_000);
    expect(await answers(url)).toBe(false);
  }, 120_000);
});
