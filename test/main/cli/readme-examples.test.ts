import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands } from '../../../src/main/cli/commands/index';

/** The README's shell examples, line by line (continuations joined). */
function shellLines(): string[] {
  const readme = readFileSync(join(import.meta.dirname, '..', '..', '..', 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks.flatMap((b) => b.replace(/\\\n\s*/g, ' ').split('\n')).filter((l) => l.trim() !== '');
}

describe('the README’s lumen examples run as pasted', () => {
  const examples = shellLines()
    .map((l) => l.replace(/\s+#.*$/, ''))
    .filter((l) => /^npx lumen /.test(l));

  it('every example at the start of a line is runnable from Lumen’s folder (`npx lumen`, not a bare `lumen`)', () => {
    // A cluster job script (Slurm) runs the `lumen` installed on the cluster, not from Lumen's folder.
    const bare = shellLines().filter((l) => /^lumen /.test(l) && !l.includes('SLURM_'));
    expect(bare).toEqual([]);
    expect(examples.length).toBeGreaterThan(10);
  });

  it('names a real command and holds no [optional] brackets that would be pasted literally', () => {
    const names = new Set(commands.map((c) => c.name));
    for (const line of examples) {
      const command = /npx lumen (\S+)/.exec(line)?.[1];
      expect(names, line).toContain(command);
      expect(line, line).not.toMatch(/\[--|\s\[[^\]]*\]\s*$/);
    }
  });
});
