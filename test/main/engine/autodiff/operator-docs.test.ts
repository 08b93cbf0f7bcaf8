import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gradientRules, ruleFamilies, supportedOperators, zeroGradientFamily } from '../../../../src/main/engine/autodiff/rules';
import { renderOperatorDocs } from '../../../../scripts/operator-docs';

describe('docs/operators.md', () => {
  it('is what the generator writes from the rule table now (run `npx tsx scripts/generate-operator-docs.ts`)', () => {
    const committed = readFileSync(new URL('../../../../docs/operators.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderOperatorDocs());
  });

  it('has a table row for every operator with a backward, and lists every zero-gradient operator', () => {
    const text = renderOperatorDocs();
    for (const op of supportedOperators()) expect(text, `${op} has no row`).toContain(`\n| ${op} |`);
    const zero = text.slice(text.indexOf(`## ${zeroGradientFamily.title}`));
    for (const op of Object.keys(zeroGradientFamily.rules)) expect(zero).toMatch(new RegExp(`\\b${op}\\b`));
  });

  it('puts each operator in exactly one family, so the table has one rule per operator', () => {
    const all = [...ruleFamilies, zeroGradientFamily].flatMap((f) => Object.keys(f.rules));
    expect(all.filter((op, i) => all.indexOf(op) !== i)).toEqual([]);
    expect(Object.keys(gradientRules).sort()).toEqual([...all].sort());
  });
});
