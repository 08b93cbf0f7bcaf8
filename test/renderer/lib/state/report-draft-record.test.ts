import { describe, expect, it } from 'vitest';
import { defaultReportMethods, draftStorageKey, loadDraft, recommendedReportMethods, sameDraft, saveDraft, type DraftStorage, type ReportDraftState } from '../../../../src/renderer/src/lib/state/report-draft-record';

/** Web Storage over a Map (the real API's two calls), optionally full. */
function memoryStorage(full = false): DraftStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => {
      if (full) throw new DOMException('quota', 'QuotaExceededError');
      items.set(key, value);
    },
  };
}

const draft: ReportDraftState = {
  form: {
    title: 'Espresso check',
    summary: 'Grad-CAM looks at the cup.',
    freeText: '',
    methods: ['grad-cam', 'gradient'],
    metrics: ['deletion'],
    runs: [3],
    includeAnnotations: true,
    includePaths: false,
    includeMetadata: false,
    anonymise: true,
    includeIdentifiers: false,
    xraiAreaPercent: 10,
  },
  images: [{ dataset: 'samples', path: 'coffee.png' }, { dataset: 'samples', path: 'rocket.jpg', target: 657 }],
  methodsChosen: true,
};

describe('the report draft kept per project in localStorage', () => {
  it('comes back as it was stored, per project', () => {
    const storage = memoryStorage();
    saveDraft(storage, '/projects/a', draft);
    saveDraft(storage, '/projects/b', { ...draft, form: { ...draft.form, title: 'Other' } });
    expect(loadDraft(storage, '/projects/a')).toEqual(draft);
    expect(loadDraft(storage, '/projects/b')?.form.title).toBe('Other');
    expect(loadDraft(storage, '/projects/c')).toBeNull();
  });

  it('ignores a damaged record (not JSON, another shape, a value out of range) instead of applying part of it', () => {
    const storage = memoryStorage();
    const key = draftStorageKey('/p');
    for (const text of ['{not json', 'null', '[]', JSON.stringify({ version: 2, form: draft.form, images: [], methodsChosen: false }), JSON.stringify({ version: 1, form: { ...draft.form, runs: [-1] }, images: [], methodsChosen: false }), JSON.stringify({ version: 1, form: draft.form, images: [{ dataset: '', path: 'x' }], methodsChosen: false }), JSON.stringify({ version: 1, form: { ...draft.form, script: '<x>' }, images: [], methodsChosen: false })]) {
      storage.items.set(key, text);
      expect(loadDraft(storage, '/p'), text).toBeNull();
    }
  });

  it('lives on in memory when the storage is full, disabled or absent', () => {
    expect(() => saveDraft(memoryStorage(true), '/p', draft)).not.toThrow();
    expect(() => saveDraft(null, '/p', draft)).not.toThrow();
    expect(loadDraft(null, '/p')).toBeNull();
    const throwing: DraftStorage = {
      getItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
      setItem: () => undefined,
    };
    expect(loadDraft(throwing, '/p')).toBeNull();
  });

  it('tells a changed draft from an unchanged one', () => {
    expect(sameDraft(draft, structuredClone(draft))).toBe(true);
    expect(sameDraft(draft, { ...draft, form: { ...draft.form, title: 'Espresso check!' } })).toBe(false);
    expect(sameDraft(draft, { ...draft, images: draft.images.slice(1) })).toBe(false);
  });
});

describe('the methods ticked before the user ticks any', () => {
  const available = ['gradient', 'grad-cam', 'integrated-gradients', 'xrai'];

  it('are those already computed for the report\'s images, once each, among those offered', () => {
    expect(defaultReportMethods(available, ['xrai', 'integrated-gradients', 'xrai', 'unknown'])).toEqual(['xrai', 'integrated-gradients']);
  });

  it('are the recommended few when nothing was computed', () => {
    expect(defaultReportMethods(available, [])).toEqual([...recommendedReportMethods]);
    expect(defaultReportMethods(['grad-cam'], [])).toEqual(['grad-cam']);
  });
});
