import type { ImportFormat } from '../../../../shared/contract/dataset-import';
import type { ParamsIn } from '../../../../shared/contract/requests';

/**
 * The import form's state and the `datasets.import` request it makes: one request for every
 * format the CLI imports, the same in the preview and the import (only `preview` differs).
 */

/** The formats as the form offers them: a DICOM folder is a folder read as DICOM. */
export const importChoices = ['folder', 'dicom', 'dicomdir', 'csv', 'coco', 'voc', 'masks', 'labels', 'reroot'] as const;
export type ImportChoice = (typeof importChoices)[number];

/** A path the form asks for: a file or a folder (which picker the app's Browse button opens). */
export type PathKind = 'file' | 'folder';

export type PathField = 'source' | 'root';

export interface ImportForm {
  choice: ImportChoice;
  dataset: string;
  /** The format's own file or folder (the folder, the CSV, the COCO JSON, the VOC folder…). */
  source: string;
  /** Where the images of a CSV, COCO or VOC file are. */
  root: string;
  layout: 'auto' | 'labelled-folders' | 'dicom';
  regions: boolean;
  maskLabel: string;
  labelsKey: 'auto' | 'sop' | 'file';
}

export function emptyImportForm(): ImportForm {
  return { choice: 'folder', dataset: '', source: '', root: '', layout: 'auto', regions: false, maskLabel: '', labelsKey: 'auto' };
}

/** Which paths a choice needs, and of which kind. */
export function pathFields(choice: ImportChoice): Array<{ field: PathField; kind: PathKind }> {
  const source: PathKind = choice === 'csv' || choice === 'coco' || choice === 'dicomdir' || choice === 'labels' ? 'file' : 'folder';
  const needsRoot = choice === 'csv' || choice === 'coco' || choice === 'voc';
  return needsRoot ? [{ field: 'source', kind: source }, { field: 'root', kind: 'folder' }] : [{ field: 'source', kind: source }];
}

/** Whether every field the choice needs is filled in. */
export function formComplete(form: ImportForm): boolean {
  return form.dataset.trim() !== '' && pathFields(form.choice).every(({ field }) => form[field].trim() !== '');
}

const formatOf: Record<ImportChoice, ImportFormat> = {
  folder: 'folder',
  dicom: 'folder',
  dicomdir: 'dicomdir',
  csv: 'csv',
  coco: 'coco',
  voc: 'voc',
  masks: 'masks',
  labels: 'labels',
  reroot: 'reroot',
};

/**
 * The request for this form. A folder is sent as `datasets.import` always took it (no format),
 * so a folder import reads the same from every door.
 */
export function importRequest(project: string, form: ImportForm, preview: boolean): ParamsIn<'datasets.import'> {
  const target = { project, dataset: form.dataset.trim(), ...(preview ? { preview: true } : {}) };
  const source = form.source.trim();
  const root = form.root.trim();
  const boxes = form.regions ? 'region' : 'box';
  switch (formatOf[form.choice]) {
    case 'folder':
      return { ...target, folder: source, layout: form.choice === 'dicom' ? 'dicom' : form.layout };
    case 'csv':
      return { ...target, format: 'csv', csv: source, root };
    case 'coco':
      return { ...target, format: 'coco', coco: source, root, boxes };
    case 'voc':
      return { ...target, format: 'voc', voc: source, root, boxes };
    case 'masks':
      return { ...target, format: 'masks', masks: source, label: form.maskLabel.trim() };
    case 'dicomdir':
      return { ...target, format: 'dicomdir', dicomdir: source };
    case 'labels':
      return { ...target, format: 'labels', labels: source, key: form.labelsKey };
    case 'reroot':
      return { ...target, format: 'reroot', reroot: source };
  }
}

/** A key for "the preview still describes this form": any change to the form asks for a new preview. */
export function formKey(project: string, form: ImportForm): string {
  return JSON.stringify(importRequest(project, form, false));
}
