import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shortcutFor } from '../../../src/renderer/src/lib/shortcuts';

const key = (k: string) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, target: null });

describe('the README on the screen shortcuts', () => {
  it('names as many digit keys as there are screens', () => {
    let screens = 0;
    while (shortcutFor(key(String(screens + 1)))?.kind === 'screen') screens++;
    const readme = readFileSync(join(import.meta.dirname, '..', '..', '..', 'README.md'), 'utf8');
    expect(readme).toContain(`\`1\`–\`${screens}\` screens`);
  });
});
