/** Rewrites docs/operators.md from the rule table: `npx tsx scripts/generate-operator-docs.ts`. */
import { writeFileSync } from 'node:fs';
import { renderOperatorDocs } from './operator-docs';

const target = new URL('../docs/operators.md', import.meta.url);
writeFileSync(target, renderOperatorDocs());
console.log(`wrote ${target.pathname}`);
