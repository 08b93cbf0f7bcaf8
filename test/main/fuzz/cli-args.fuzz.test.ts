import fc from 'fast-check';
import { describe, it } from 'vitest';
import { parseCommandArgs } from '../../../src/main/cli/args';
import { commands } from '../../../src/main/cli/commands';
import { expectClearFailure, fuzzTimeout, runFuzz, worked } from './harness';

/**
 * Command lines as people type them, right and wrong: every command's own flags (long, short,
 * `--flag=value`), values that are numbers, negative numbers, JSON, paths or empty, stray words
 * and unknown flags. Parsing either gives the command's arguments or one usage line; it never
 * throws anything else (a parseArgs or zod exception escaping would print a stack trace).
 */

const values = fc.oneof(
  fc.constantFrom('', '-1', '-0.5', '0', '3', '1e9', 'NaN', 'abc', 'x.png', 'out.npy', 'a.txt', '{}', '{"steps":8}', '{"bogus":1}', '[1]', '{', 'cpu', 'auto', 'tpu', 'gradient', 'grad-cam,integrated-gradients', 'deletion,insertion', 'html', 'pdf', '1/2', '--', '-'),
  fc.string({ maxLength: 8 }),
);

/** A command line of the help's examples as argv: `lumen NAME` dropped, single quotes honoured. */
function exampleArgv(example: string): string[] {
  const words = [...example.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!);
  return words.slice(2);
}

/** An edit of a command line: drop a word, change or empty one, or put a flag or a value in. */
const edit = fc.record({ at: fc.nat(), kind: fc.constantFrom('drop', 'replace', 'insert', 'blank'), value: values });

const argv = fc.constantFrom(...commands).chain((command) => {
  const flags = Object.entries(command.options);
  const token = fc.oneof(
    fc.constantFrom(...flags).chain(([name, spec]) =>
      spec.type === 'boolean'
        ? fc.constantFrom([`--${name}`], [`--${name}=yes`])
        : fc.tuple(fc.constantFrom(`--${name}`, ...(spec.short ? [`-${spec.short}`] : [])), values).chain(([flag, value]) => fc.constantFrom([flag, value], [`${flag}=${value}`], [flag])),
    ),
    fc.constantFrom(['--bogus'], ['-z'], ['stray'], ['--json'], ['-1']),
  );
  // Random flags, or the help's own examples (valid, complete command lines) with a few edits.
  const random = fc.array(token, { maxLength: 6 }).map((tokens) => tokens.flat());
  const examples = command.examples.map(exampleArgv).filter((a) => a.length > 0);
  const edited =
    examples.length === 0
      ? random
      : fc.tuple(fc.constantFrom(...examples), fc.array(fc.oneof(edit, token.map((t) => ({ at: 0, kind: 'flag' as const, value: t.join(' ') }))), { maxLength: 3 })).map(([example, edits]) =>
          edits.reduce<string[]>((words, e) => {
            const at = words.length === 0 ? 0 : e.at % words.length;
            if (e.kind === 'drop') return words.filter((_, i) => i !== at);
            if (e.kind === 'replace') return words.map((w, i) => (i === at ? e.value : w));
            // An empty value where one was given, or a list cut to its commas.
            if (e.kind === 'blank') return words.map((w, i) => (i === at && !w.startsWith('-') ? w.replace(/[^,]/g, '') : w));
            if (e.kind === 'insert') return [...words.slice(0, at), e.value, ...words.slice(at)];
            return [...words, ...e.value.split(' ')];
          }, example),
        );
  // The command by name: a counterexample prints as `{"command":"evaluate","args":[…]}`.
  return fc.oneof(random, edited).map((args) => ({ command: command.name, args }));
});

describe('fuzz: command lines', () => {
  it('every command parses its arguments or says in one line what is wrong', { timeout: fuzzTimeout(1000, 20) }, async () => {
    await runFuzz(
      'cli: command lines',
      1000,
      fc.property(argv, ({ command: name, args }) => {
        const command = commands.find((c) => c.name === name)!;
        try {
          parseCommandArgs(command, args);
          worked();
        } catch (error) {
          const payload = expectClearFailure(error);
          if (payload.code !== 'invalid-argument') throw new Error(`a usage error with code ${payload.code}`);
          if (payload.hint !== `See \`lumen ${command.name} --help\`.`) throw new Error(`no pointer to --help: ${payload.hint}`);
        }
      }),
    );
  });
});
