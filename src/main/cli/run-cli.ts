import { toErrorPayload } from '../../shared/errors';
import { lumenVersion } from '../../shared/version';
import { parseCommandArgs } from './args';
import type { CliIo } from './command';
import { commands } from './commands';
import { commandHelp, mainHelp } from './help';

/**
 * `lumen <command> [options]`. Exit codes: 0 success, 1 the work failed (bad model, bad image...),
 * 2 the command line was wrong. With --json, failures are printed as {"error": {...}} on stdout.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(mainHelp(commands));
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(lumenVersion);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`error: unknown command "${name}". Commands: ${commands.map((c) => c.name).join(', ')}. See \`lumen --help\`.`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(commandHelp(command));
    return 0;
  }
  const json = rest.includes('--json');
  const report = (error: unknown): void => {
    const payload = toErrorPayload(error);
    if (json) io.out(JSON.stringify({ error: payload }, null, 2));
    // One line: the problem, then what to do (LumenError.describe()), easy to grep and to log.
    else io.err(`error: ${payload.hint ? `${payload.message} ${payload.hint}` : payload.message}`);
  };
  let args: unknown;
  try {
    args = parseCommandArgs(command, rest);
  } catch (error) {
    report(error);
    return 2;
  }
  try {
    return await command.run(args as never, io);
  } catch (error) {
    report(error);
    return 1;
  }
}
