import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lumenVersion } from '../../src/shared/version';

describe('lumenVersion', () => {
  it('equals the version in package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(lumenVersion).toBe(pkg.version);
  });
});
