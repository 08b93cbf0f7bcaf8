import { describe, expect, it } from 'vitest';
import { documentationHosts, isAllowedExternalUrl } from '../../../src/main/electron/external-links';

describe('which links the desktop app opens in the user’s browser', () => {
  it('https links to the documentation hosts, nothing else', () => {
    for (const host of documentationHosts) expect(isAllowedExternalUrl(`https://${host}/some/page?q=1#x`)).toBe(true);
    expect(isAllowedExternalUrl('https://onnxruntime.ai/docs/execution-providers/')).toBe(true);
    for (const url of [
      'http://onnx.ai/', // not https
      'https://evil.example/', // another host
      'https://onnx.ai.evil.example/', // a listed name as a prefix
      'https://evilonnx.ai/',
      'https://user:pw@github.com/', // credentials
      'https://github.com:8443/', // another port
      'file:///etc/passwd',
      'javascript:alert(1)',
      'ms-msdt:/id PCWDiagnostic',
      'smb://server/share',
      'not a url',
      '',
    ]) {
      expect(isAllowedExternalUrl(url), url).toBe(false);
    }
  });
});
