import { parseArgs } from 'node:util';
import { describeZodError, LumenError } from '../../shared/errors';
import type { Command } from './command';

/** Turns argv into the command's validated arguments; any mistake is a usage error naming it. */
export function parseCommandArgs<C extends Command>(command: C, argv: string[]): ReturnType<C['schema']['parse']> {
  let values: Record<string, unknown>;
  try {
    const options = Object.fromEntries(
      Object.entries(command.options).map(([name, spec]) => [name, spec.short ? { type: spec.type, short: spec.short } : { type: spec.type }]),
    );
    ({ values } = parseArgs({ args: argv, options, allowPositionals: false, strict: true }));
  } catch (error) {
    throw new LumenError('invalid-argument', `${(error as Error).message.replace(/\. To specify.*$/s, '')}.`, `See \`lumen ${command.name} --help\`.`);
  }
  const parsed = command.schema.safeParse(values);
  if (!parsed.success) {
    throw new LumenError('invalid-argument', `Invalid arguments: ${describeZodError(parsed.error)}.`, `See \`lumen ${command.name} --help\`.`);
  }
  return parsed.data as ReturnType<C['schema']['parse']>;
}
