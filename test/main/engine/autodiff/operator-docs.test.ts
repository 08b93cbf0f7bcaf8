import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { supportedOperators } from '../../../../src/main/engine/autodiff/rules';

describe('docs/operators.md', () => {
  it('lists exactly the operators the compiler can differentiate', () => {
    const text = readFileSync(new URL('../../../../docs/operators.md', import.meta.url), 'utf8');
    const table = text.slice(text.indexOf('## Differentiable operators'), text.indexOf('## Operators with zero gradient'));
    const documented = new Set([...table.matchAll(/\b([A-Z][A-Za-z]+)\b/g)].map((m) => m[1]!));
    for (const op of supportedOperators()) expect(documented, `${op} is missing from docs/operators.md`).toContain(op);
  });
});
