import { describe, expect, it } from 'vitest';
import { skipLine } from './skip-reason-reporter';

const test = (annotations: Array<{ type: string; description?: string }>) => ({
  titlePath: () => ['', 'chromium', 'electron.spec.ts', 'the Electron app', 'opens the workstation window'],
  annotations,
});

describe('the skip-reason reporter', () => {
  it('prints a skipped test with the reason its test.skip gave', () => {
    expect(skipLine(test([{ type: 'skip', description: 'there is no display (run under xvfb-run)' }]), { annotations: [] })).toBe(
      'skipped: chromium › electron.spec.ts › the Electron app › opens the workstation window: there is no display (run under xvfb-run)',
    );
    // A reason given inside the test body is on the result.
    expect(skipLine(test([]), { annotations: [{ type: 'skip', description: 'no Chromium' }] })).toMatch(/: no Chromium$/);
  });

  it('says when no reason was given, and ignores other annotations', () => {
    expect(skipLine(test([{ type: 'issue', description: '#18' }, { type: 'skip' }]), { annotations: [] })).toMatch(/: no reason given$/);
  });
});
