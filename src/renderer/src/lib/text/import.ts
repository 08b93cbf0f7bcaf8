import { plural } from '../../../../shared/plural';
import type { ImportReport } from '../../../../shared/contract/dataset-import';
import type { ImportChoice, PathField } from '../import/import-request';

/** The words of the dataset import form, its preview and its result. */
export const importText = {
  title: 'Import a dataset',
  format: 'Format',
  name: 'Dataset name',
  layout: 'Folder layout',
  layouts: {
    auto: 'Detect (DICOM when every file is DICOM)',
    'labelled-folders': 'Sub-folders are labels',
    dicom: 'DICOM: group by patient, study and series',
  },
  choices: {
    folder: 'Folder of images (sub-folders are labels)',
    dicom: 'Folder of DICOM files',
    dicomdir: 'DICOMDIR',
    csv: 'CSV of labels (path,label[,split] or path and findings)',
    coco: 'COCO boxes (JSON)',
    voc: 'Pascal VOC boxes (folder of XML)',
    masks: 'Masks for an imported dataset',
    labels: 'Labels for an imported dataset (CSV keyed by SOP Instance UID or path)',
    reroot: 'Re-root: the folder an imported dataset moved to',
  } satisfies Record<ImportChoice, string>,
  /** The label of each path field, by format: "Folder" for a folder import (as it always was). */
  pathLabel(choice: ImportChoice, field: PathField): string {
    if (field === 'root') return 'Image folder';
    return { folder: 'Folder', dicom: 'Folder', dicomdir: 'DICOMDIR file', csv: 'CSV file', coco: 'COCO file', voc: 'VOC folder', masks: 'Mask folder', labels: 'Label CSV', reroot: 'New folder' }[choice];
  },
  typedPathHelp: 'The full path on the computer that runs Lumen (e.g. /home/me/data).',
  regions: 'Import the boxes as regions of interest (e.g. text markers), not ground truth',
  maskLabel: 'Mask label',
  labelsKey: 'Key column',
  labelsKeys: { auto: 'Tell from the header or the values', sop: 'SOP Instance UID', file: 'File path' },
  preview: 'Preview',
  previewTitle: 'Import preview',
  previewNote: 'Nothing has been written yet.',
  previewCounts: (r: ImportReport) =>
    `Would add ${plural(r.images.added, 'image')}, update ${r.images.updated}, leave ${r.images.unchanged} unchanged` +
    (r.annotations.added + r.annotations.unchanged > 0 ? `; ${plural(r.annotations.added, 'annotation')} new, ${r.annotations.unchanged} already there` : '') +
    (r.moved !== undefined ? `; ${plural(r.moved, 'image')} found under the new folder` : '') +
    '.',
  problemsTitle: (n: number) => `${plural(n, 'problem')}: these rows are not imported as they are`,
  problemWhere: 'Where',
  problemReason: 'Problem',
  problemKept: 'kept, changed',
  noProblems: 'No problems: every row can be imported.',
  confirm: (problems: number) => `Import brings in the good rows; ${problems === 1 ? 'the row with a problem is' : `the ${problems} rows with problems are`} left out.`,
  importButton: 'Import',
  close: 'Close',
  confirmButton: 'Confirm import',
  imported: (r: ImportReport) =>
    r.moved !== undefined
      ? `${plural(r.moved, 'image')} now under the new folder`
      : `${r.images.added} added, ${r.images.updated} updated${r.annotations.added ? `, ${plural(r.annotations.added, 'annotation')}` : ''}${r.problems.length ? `, ${plural(r.problems.length, 'problem')}` : ''}`,
};
