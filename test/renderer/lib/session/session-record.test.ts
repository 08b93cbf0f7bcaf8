import { describe, expect, it } from 'vitest';
import { readSessionRecord, sessionStorageKey, writeSessionRecord, type KeyValueStorage, type SessionRecord } from '../../../../src/renderer/src/lib/session/session-record';
import { sessionRecordOf } from '../../../../src/renderer/src/lib/session/remember-session';

function memoryStorage(initial?: string): KeyValueStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  if (initial !== undefined) items.set(sessionStorageKey, initial);
  return { items, getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v) };
}

const full: SessionRecord = {
  version: 1,
  theme: 'light',
  screen: 'inspector',
  project: '/projects/chest',
  dataset: 'xray',
  runId: 3,
  model: { sha256: 'ab12', fileName: 'resnet.onnx', builtIn: false },
  image: { kind: 'project', project: '/projects/chest', dataset: 'xray', path: 'scans/a.dcm', frame: 2 },
};

describe('the session record in localStorage', () => {
  it('reads back what was written', () => {
    const storage = memoryStorage();
    expect(writeSessionRecord(storage, full)).toBe(true);
    expect(readSessionRecord(storage)).toEqual(full);
  });

  it('is absent before anything was written', () => {
    expect(readSessionRecord(memoryStorage())).toBeNull();
    expect(readSessionRecord(null)).toBeNull();
  });

  it.each([
    ['text that is not JSON', '{"version":1,"theme":'],
    ['JSON that is not an object', '"dark"'],
    ['null', 'null'],
    ['an older version', JSON.stringify({ version: 0, theme: 'light', screen: 'dataset' })],
    ['a newer version', JSON.stringify({ ...full, version: 2 })],
    ['no version', JSON.stringify({ theme: 'light' })],
    ['an unknown screen', JSON.stringify({ ...full, screen: 'radiology' })],
    ['an unknown theme', JSON.stringify({ ...full, theme: 'sepia' })],
    ['an image of an unknown kind', JSON.stringify({ ...full, image: { kind: 'url', url: 'http://x' } })],
    ['a run that is not a positive integer', JSON.stringify({ ...full, runId: -1 })],
    ['an empty project path', JSON.stringify({ ...full, project: '' })],
  ])('ignores a damaged record (%s) without throwing', (_what, text) => {
    expect(readSessionRecord(memoryStorage(text))).toBeNull();
  });

  it('ignores a storage that refuses to be read, and says a refused write failed', () => {
    const refusing: KeyValueStorage = {
      getItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
    };
    expect(readSessionRecord(refusing)).toBeNull();
    expect(writeSessionRecord(refusing, full)).toBe(false);
  });

  it('is replaced by the next write after a damaged one', () => {
    const storage = memoryStorage('garbage');
    writeSessionRecord(storage, { version: 1, theme: 'dark' });
    expect(readSessionRecord(storage)).toEqual({ version: 1, theme: 'dark' });
  });
});

describe('the record of the workstation state', () => {
  const base = { theme: 'dark' as const, screen: 'start' as const, project: null, dataset: null, runId: null, model: null, imageRef: null };

  it('keeps only the theme and screen when nothing is open', () => {
    expect(sessionRecordOf(base)).toEqual({ version: 1, theme: 'dark', screen: 'start' });
  });

  it('names the project, its dataset and run, the model and a project image at its frame', () => {
    const record = sessionRecordOf({
      ...base,
      theme: 'light',
      screen: 'inspector',
      project: { path: '/projects/chest' },
      dataset: 'xray',
      runId: 3,
      model: { sha256: 'ab12', fileName: 'resnet.onnx', builtIn: false },
      imageRef: { kind: 'project', project: '/projects/chest', dataset: 'xray', path: 'scans/a.dcm', frame: 2 },
    });
    expect(record).toEqual(full);
    // What it writes is what it reads: the record is valid by construction.
    const storage = memoryStorage();
    writeSessionRecord(storage, record);
    expect(readSessionRecord(storage)).toEqual(full);
  });

  it('drops a dataset and run without a project, and a first frame (frame 0 is the default)', () => {
    const record = sessionRecordOf({ ...base, dataset: 'xray', runId: 2, imageRef: { kind: 'sample', sampleId: 'espresso', frame: 0 } });
    expect(record).toEqual({ version: 1, theme: 'dark', screen: 'start', image: { kind: 'sample', sampleId: 'espresso' } });
  });

  it('remembers a file image by its name only', () => {
    expect(sessionRecordOf({ ...base, imageRef: { kind: 'file', name: 'scan.png' } }).image).toEqual({ kind: 'file', name: 'scan.png' });
  });
});
