import { runCli } from '../../src/main/cli/run-cli';

/** Runs `lumen ARGS…` in this process (no build, no child process) and collects what it printed. */
export async function lumen(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
