import { describe, expect, it } from 'vitest';
import { ImportParams } from '../../../../src/shared/contract/dataset-import';
import { emptyImportForm, formComplete, formKey, importChoices, importRequest, pathFields, type ImportForm } from '../../../../src/renderer/src/lib/import/import-request';

const form = (patch: Partial<ImportForm>): ImportForm => ({ ...emptyImportForm(), dataset: 'd', source: '/data/src', root: '/data/images', ...patch });

describe('the import form’s request', () => {
  it('every choice makes a request the contract accepts, for the preview and for the import alike', () => {
    for (const choice of importChoices) {
      for (const preview of [true, false]) {
        const parsed = ImportParams.parse(importRequest('/p', form({ choice }), preview));
        expect(parsed.preview).toBe(preview);
        expect(parsed.dataset).toBe('d');
      }
    }
  });

  it('says each format in the contract’s terms: a DICOM folder is a folder read as DICOM, boxes may be regions', () => {
    expect(importRequest('/p', form({ choice: 'folder' }), false)).toEqual({ project: '/p', dataset: 'd', folder: '/data/src', layout: 'auto' });
    expect(importRequest('/p', form({ choice: 'dicom' }), false)).toMatchObject({ folder: '/data/src', layout: 'dicom' });
    expect(importRequest('/p', form({ choice: 'csv' }), true)).toEqual({ project: '/p', dataset: 'd', preview: true, format: 'csv', csv: '/data/src', root: '/data/images' });
    expect(importRequest('/p', form({ choice: 'voc', regions: true }), false)).toMatchObject({ format: 'voc', voc: '/data/src', root: '/data/images', boxes: 'region' });
    expect(importRequest('/p', form({ choice: 'masks', maskLabel: ' lung ' }), false)).toMatchObject({ format: 'masks', masks: '/data/src', label: 'lung' });
    expect(importRequest('/p', form({ choice: 'labels', labelsKey: 'sop' }), false)).toMatchObject({ format: 'labels', labels: '/data/src', key: 'sop' });
  });

  it('asks for the image folder only where the format needs one, and is complete only when every path is given', () => {
    expect(pathFields('csv').map((f) => f.field)).toEqual(['source', 'root']);
    expect(pathFields('csv')[0]!.kind).toBe('file');
    expect(pathFields('voc')[0]!.kind).toBe('folder');
    expect(pathFields('dicomdir')).toEqual([{ field: 'source', kind: 'file' }]);
    expect(formComplete(form({ choice: 'csv', root: ' ' }))).toBe(false);
    expect(formComplete(form({ choice: 'folder', root: '' }))).toBe(true);
    expect(formComplete(form({ dataset: '' }))).toBe(false);
  });

  it('a preview describes the form it was made for: any change asks for a new one', () => {
    const a = form({ choice: 'csv' });
    expect(formKey('/p', a)).toBe(formKey('/p', { ...a }));
    expect(formKey('/p', a)).not.toBe(formKey('/p', { ...a, root: '/elsewhere' }));
    expect(formKey('/p', a)).not.toBe(formKey('/q', a));
  });
});
