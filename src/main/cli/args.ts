import { parseArgs } from 'node:util';
import { LumenError } from '../../shared/errors';
import { describeArgIssue } from './arg-issues';
import type { Command, OptionSpec } from './command';

/** Turns argv into the command's validated arguments; any mistake is a one-line usage error naming the flag. */
export function parseCommandArgs<C extends Command>(command: C, argv: string[]): ReturnType<C['schema']['parse']> {
  const hint = `See \`lumen ${command.name} --help\`.`;
  let values: Record<string, unknown>;
  try {
    const options = Object.fromEntries(
      Object.entries(command.options).map(([name, spec]) => [name, spec.short ? { type: spec.type, short: spec.short } : { type: spec.type }]),
    );
    ({ values } = parseArgs({ args: attachNegativeNumbers(argv, command.options), options, allowPositionals: false, strict: true }));
  } catch (error) {
    throw new LumenError('invalid-argument', `${describeParseArgsError(error as Error)}.`, hint);
  }
  const parsed = command.schema.safeParse(values);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => describeArgIssue(issue, values).replace(/\.$/, ''));
    throw new LumenError('invalid-argument', `Invalid arguments: ${problems.join('; ')}.`, hint);
  }
  return parsed.data as ReturnType<C['schema']['parse']>;
}

/**
 * `--target -1` as `--target=-1`. parseArgs refuses a value that starts with a dash (it might be a
 * forgotten value followed by the next flag), but a negative number cannot be a flag, and zod then
 * says what is wrong with it.
 */
function attachNegativeNumbers(argv: string[], options: Record<string, OptionSpec>): string[] {
  const longName = (token: string): string | undefined => {
    if (token.startsWith('--')) return token.slice(2);
    return Object.entries(options).find(([, spec]) => spec.short !== undefined && token === `-${spec.short}`)?.[0];
  };
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    const name = longName(token);
    const next = argv[i + 1];
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`--${name}=${next}`);
      i++;
    } else {
      out.push(token);
    }
  }
  return out;
}

/** Node's parseArgs messages, cut to their first sentence and without its advice about `--`. */
function describeParseArgsError(error: Error): string {
  const first = error.message.split('\n')[0]!.replace(/\. To specify.*$/, '').replace(/\.$/, '');
  // Its advice ("use '--image=-XYZ'") names the long flag even when the short one was typed.
  const ambiguous = /argument is ambiguous/.test(first) ? /use '--([\w-]+)=-XYZ'/.exec(error.message) : null;
  if (ambiguous) return `--${ambiguous[1]} is followed by a value that starts with "-": give its value, or write --${ambiguous[1]}=VALUE if that is it`;
  return first;
}
