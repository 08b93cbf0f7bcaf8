import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseCommandArgs } from '../../../src/main/cli/args';
import { defineCommand } from '../../../src/main/cli/command';
import { LumenError } from '../../../src/shared/errors';

// A command shaped like `lumen attribute`: the same kinds of options and schema rules.
const command = defineCommand({
  name: 'probe',
  summary: 'test command',
  usage: 'lumen probe',
  options: {
    image: { type: 'string', short: 'i', description: 'image' },
    method: { type: 'string', description: 'method' },
    target: { type: 'string', description: 'class' },
    top: { type: 'string', short: 'k', description: 'k' },
    provider: { type: 'string', description: 'ep' },
    out: { type: 'string', description: 'out' },
    json: { type: 'boolean', description: 'json' },
  },
  schema: z
    .object({
      image: z.string().min(1).optional(),
      method: z.string({ error: 'is required: give one with --method' }).min(1),
      target: z.coerce.number().int().nonnegative().optional(),
      top: z.coerce.number().int().min(1).max(1000).default(5),
      provider: z.enum(['auto', 'cpu']).default('auto'),
      out: z.string().regex(/\.npy$/i, 'must end in .npy').optional(),
      json: z.boolean().default(false),
    })
    .strict(),
  examples: [],
  run: () => Promise.resolve(0),
});

function usageError(argv: string[]): LumenError {
  try {
    parseCommandArgs(command, argv);
  } catch (error) {
    expect(error).toBeInstanceOf(LumenError);
    const e = error as LumenError;
    expect(e.code).toBe('invalid-argument');
    expect(e.hint).toBe('See `lumen probe --help`.');
    expect(e.describe()).not.toMatch(/\n/);
    return e;
  }
  throw new Error(`expected ${argv.join(' ')} to be refused`);
}

describe('command-line errors are one line that names the flag and the value', () => {
  it.each([
    [['--method', 'm', '--target', '-1'], 'Invalid arguments: --target: must be at least 0, not "-1".'],
    [['--method', 'm', '-k', '-3'], 'Invalid arguments: --top: must be at least 1, not "-3".'],
    [['--method', 'm', '--top', 'many'], 'Invalid arguments: --top: must be a number, not "many".'],
    [['--method', 'm', '--top', '2.5'], 'Invalid arguments: --top: must be a whole number, not "2.5".'],
    [['--method', 'm', '--top', '5000'], 'Invalid arguments: --top: must be at most 1000, not "5000".'],
    [['--method', 'm', '--provider', 'tpu'], 'Invalid arguments: --provider: must be one of auto, cpu, not "tpu".'],
    [['--method', 'm', '--out', 'a.txt'], 'Invalid arguments: --out: must end in .npy (got "a.txt").'],
    [['--method', ''], 'Invalid arguments: --method: must not be empty.'],
    [[], 'Invalid arguments: --method: is required: give one with --method.'],
    [['--method', 'm', '--target', '-1', '--top', '0'], 'Invalid arguments: --target: must be at least 0, not "-1"; --top: must be at least 1, not "0".'],
  ])('%j', (argv, message) => {
    expect(usageError(argv).message).toBe(message);
  });

  it('parseArgs mistakes are cut to one sentence', () => {
    expect(usageError(['--bogus']).message).toBe("Unknown option '--bogus'.");
    expect(usageError(['--method', 'm', 'stray']).message).toMatch(/^Unexpected argument 'stray'\./);
    expect(usageError(['--method']).message).toMatch(/^Option '--method <value>' argument missing\.$/);
    expect(usageError(['--json=yes', '--method', 'm']).message).toMatch(/^Option '--json' does not take an argument\.$/);
  });

  it('a flag followed by another flag instead of its value is named, with the way to pass a dash', () => {
    expect(usageError(['--image', '--method', 'm']).message).toBe('--image is followed by a value that starts with "-": give its value, or write --image=VALUE if that is it.');
    expect(usageError(['--method', 'm', '-i', '-x.png']).message).toMatch(/^--image is followed by a value that starts with "-"/);
  });

  it('a rule across flags names the value given, unless it is JSON', () => {
    const paired = defineCommand({ ...command, schema: command.schema.refine((a) => a.out === undefined || a.image !== undefined, { message: 'needs --image', path: ['out'] }) });
    expect(() => parseCommandArgs(paired, ['--method', 'm', '--out', 'a.npy'])).toThrow('Invalid arguments: --out: needs --image (got "a.npy").');
    const json = defineCommand({ ...command, schema: command.schema.refine((a) => a.method !== '{}', { message: 'is empty.', path: ['method'] }) });
    expect(() => parseCommandArgs(json, ['--method', '{}'])).toThrow('Invalid arguments: --method: is empty.');
  });

  it('negative numbers reach the schema, and the flag=value form still works', () => {
    expect(parseCommandArgs(command, ['--method', '-1'])).toMatchObject({ method: '-1' });
    expect(parseCommandArgs(command, ['--method', 'm', '--target=3', '-k', '2'])).toMatchObject({ method: 'm', target: 3, top: 2 });
  });
});
