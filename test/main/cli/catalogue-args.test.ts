import { describe, expect, it } from 'vitest';
import { parseCommandArgs } from '../../../src/main/cli/args';
import { attributeCommand } from '../../../src/main/cli/commands/attribute';
import { evaluateCommand } from '../../../src/main/cli/commands/evaluate';
import type { Command } from '../../../src/main/cli/command';
import { LumenError } from '../../../src/shared/errors';

function refused(command: Command, argv: string[]): string {
  try {
    parseCommandArgs(command, argv);
  } catch (error) {
    expect(error).toBeInstanceOf(LumenError);
    expect((error as LumenError).code).toBe('invalid-argument');
    return (error as LumenError).message;
  }
  throw new Error(`expected ${argv.join(' ')} to be refused`);
}

const attribute = ['--image', 'x.png', '--out', 'a.npy'];
const evaluate = ['--image', 'x.png'];

describe('methods, metrics and their parameters are checked while the command line is parsed', () => {
  it('an unknown parameter of a method', () => {
    expect(refused(attributeCommand, [...attribute, '--method', 'gradient', '--params', '{"bogus":1}'])).toBe(
      'Invalid arguments: --params: for gradient, unrecognized key: "bogus" (see `lumen methods` for its parameters).',
    );
  });

  it('a parameter out of range names the parameter', () => {
    expect(refused(attributeCommand, [...attribute, '--method', 'integrated-gradients', '--params', '{"steps":0}'])).toMatch(/^Invalid arguments: --params: for integrated-gradients, steps: at least 2 steps are needed/);
  });

  it('an unknown method, alone or in a list', () => {
    expect(refused(attributeCommand, [...attribute, '--method', 'telepathy'])).toBe('Invalid arguments: --method: "telepathy" is not a method Lumen knows (see `lumen methods`).');
    expect(refused(evaluateCommand, [...evaluate, '--method', 'gradient,telepathy,esp', '--metric', 'deletion'])).toMatch(/--method: "telepathy", "esp" are not methods Lumen knows/);
  });

  it('several methods take their parameters keyed by id, and each is checked', () => {
    const ok = parseCommandArgs(evaluateCommand, [...evaluate, '--method', 'gradient,integrated-gradients', '--metric', 'deletion', '--params', '{"integrated-gradients":{"steps":8}}']);
    expect(ok.params).toEqual({ 'integrated-gradients': { steps: 8 } });
    expect(refused(evaluateCommand, [...evaluate, '--method', 'gradient,integrated-gradients', '--metric', 'deletion', '--params', '{"steps":8}'])).toMatch(
      /--params: names steps, which is not among the methods asked for \(gradient, integrated-gradients\)/,
    );
    expect(refused(evaluateCommand, [...evaluate, '--method', 'gradient,integrated-gradients', '--metric', 'deletion', '--params', '{"integrated-gradients":{"stepz":8}}'])).toMatch(
      /--params: for integrated-gradients, unrecognized key: "stepz"/,
    );
  });

  it('metrics and their parameters', () => {
    expect(refused(evaluateCommand, [...evaluate, '--method', 'gradient', '--metric', 'deletion,pointing'])).toMatch(/--metric: "pointing" is not a metric Lumen knows \(see `lumen metrics`\)/);
    expect(refused(evaluateCommand, [...evaluate, '--method', 'gradient', '--metric', 'deletion', '--metric-params', '{"stepFractionn":0.1}'])).toMatch(/--metric-params: for deletion, unrecognized key: "stepFractionn"/);
    const single = parseCommandArgs(evaluateCommand, [...evaluate, '--method', 'gradient', '--metric', 'deletion', '--metric-params', '{"deletion":{}}']);
    expect(single['metric-params']).toEqual({ deletion: {} });
  });

  it('empty and comma-only lists, alone or with other mistakes, are usage errors (found by fuzzing)', () => {
    expect(refused(evaluateCommand, [...evaluate, '--method', 'gradient', '--metric', '', '--limit', '0'])).toBe('Invalid arguments: --limit: must be more than 0, not "0"; --metric: must not be empty.');
    expect(refused(evaluateCommand, [...evaluate, '--method', 'gradient', '--metric', ','])).toBe('Invalid arguments: --metric: names no metric (see `lumen metrics`) (got ",").');
    expect(refused(attributeCommand, [...attribute, '--method', ' , '])).toBe('Invalid arguments: --method: names no method (see `lumen methods`) (got " , ").');
    expect(refused(evaluateCommand, [...evaluate, '--method', '', '--metric', 'deletion', '--params', '{"steps":1}'])).toBe('Invalid arguments: --method: must not be empty.');
  });

  it('valid arguments pass untouched', () => {
    const args = parseCommandArgs(attributeCommand, [...attribute, '--method', 'integrated-gradients', '--params', '{"steps":32}', '--target', '3']);
    expect(args).toMatchObject({ method: 'integrated-gradients', params: { steps: 32 }, target: 3 });
  });
});
