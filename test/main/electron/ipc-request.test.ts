import { describe, expect, it } from 'vitest';
import { checkIpcRequest } from '../../../src/main/electron/ipc-request';

const spec = { project: '/p', modelId: 'm1', title: 'T', runs: [1] };

describe('IPC requests are checked against the contract in the main process', () => {
  it('a valid request comes back parsed, defaults filled in', () => {
    const checked = checkIpcRequest('7', 'report.export', { spec, format: 'pdf', out: '/tmp/r.pdf' });
    expect(checked).toMatchObject({ ok: true, id: '7', method: 'report.export', params: { format: 'pdf', out: '/tmp/r.pdf', overwrite: false, spec: { includePaths: false } } });
    expect(checkIpcRequest('8', 'app.info', undefined)).toMatchObject({ ok: true, params: {} });
  });

  it('the PDF export’s out must be a string, and every other field as the contract says', () => {
    for (const out of [42, { toString: 'x' }, '', null]) {
      const checked = checkIpcRequest('1', 'report.export', { spec, format: 'pdf', out });
      expect(checked.ok).toBe(false);
      if (!checked.ok) {
        expect(checked.response).toMatchObject({ type: 'response', id: '1', ok: false, error: { code: 'invalid-request' } });
        expect(checked.response.error.message).toMatch(/^Invalid parameters for "report\.export": out: /);
      }
    }
    const extra = checkIpcRequest('2', 'report.export', { spec, format: 'pdf', out: '/tmp/r.pdf', shell: 'rm -rf /' });
    expect(extra.ok).toBe(false);
    const wrongFormat = checkIpcRequest('3', 'report.render', { spec, format: 'docx' });
    expect(wrongFormat.ok).toBe(false);
    expect(checkIpcRequest('4', 'settings.set', { cacheDir: 12 }).ok).toBe(false);
    expect(checkIpcRequest('5', 'images.open', { source: 'file' }).ok).toBe(false);
  });

  it('a malformed envelope is refused without touching the parameters', () => {
    expect(checkIpcRequest(undefined, 'app.info', {})).toMatchObject({ ok: false, response: { id: 'invalid', error: { code: 'invalid-request' } } });
    expect(checkIpcRequest('x'.repeat(101), 'app.info', {})).toMatchObject({ ok: false, response: { id: 'invalid' } });
    expect(checkIpcRequest('1', 'fs.readFile', {})).toMatchObject({ ok: false, response: { id: '1', error: { message: 'Malformed request (id "1", method "fs.readFile").' } } });
    expect(checkIpcRequest('1', '__proto__', {}).ok).toBe(false);
  });
});
