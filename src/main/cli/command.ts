import type { z } from 'zod';

/** How an option is parsed by node:util.parseArgs before zod validates it. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Placeholder shown in help, e.g. "FILE". */
  value?: string;
  description: string;
}

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** One `lumen` sub-command: its options, their schema, and what it does. */
export interface Command<S extends z.ZodType = z.ZodType> {
  name: string;
  summary: string;
  usage: string;
  options: Record<string, OptionSpec>;
  schema: S;
  examples: string[];
  run(args: z.output<S>, io: CliIo): Promise<number>;
}

export function defineCommand<S extends z.ZodType>(command: Command<S>): Command<S> {
  return command;
}
