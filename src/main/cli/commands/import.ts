import { z } from 'zod';
import type { BoxKind, ImportReport } from '../../../shared/contract/dataset-import';
import type { ParamsIn } from '../../../shared/contract/requests';
import { defineCommand } from '../command';
import { openLocalApi } from '../local-api';
import { plural } from '../../../shared/plural';

export const importCommand = defineCommand({
  name: 'import',
  summary: 'Import a dataset into a project (folder tree, CSV, COCO, Pascal VOC, masks, DICOM folder or DICOMDIR), label it from a CSV, or re-root a moved one',
  usage:
    'lumen import --project P --dataset NAME (--folder DIR | --csv F --root DIR | --coco F --root DIR [--regions] | --voc DIR --root DIR [--regions] | --masks DIR [--label L] | --dicom DIR | --dicomdir F | --reroot DIR) [--labels F [--labels-key sop|file]] [--create] [--preview] [--json]',
  options: {
    project: { type: 'string', value: 'DIR', description: 'The project folder' },
    create: { type: 'boolean', description: 'Create the project if the folder is not one yet' },
    dataset: { type: 'string', value: 'NAME', description: 'The dataset’s name in the project' },
    folder: { type: 'string', value: 'DIR', description: 'A folder of images; sub-folders are labels' },
    csv: { type: 'string', value: 'F', description: 'A CSV of path,label[,split] (paths relative to --root)' },
    coco: { type: 'string', value: 'F', description: 'A COCO annotation JSON (images relative to --root)' },
    voc: { type: 'string', value: 'DIR', description: 'A folder of Pascal VOC XML files (images relative to --root)' },
    root: { type: 'string', value: 'DIR', description: 'Where the images of --csv, --coco or --voc are' },
    regions: { type: 'boolean', description: 'Import the --coco or --voc boxes as regions of interest (e.g. text markers) instead of ground truth' },
    masks: { type: 'string', value: 'DIR', description: 'Mask images (non-zero = object) named after the dataset’s images' },
    label: { type: 'string', value: 'L', description: 'The label of the --masks (e.g. lung)' },
    reroot: { type: 'string', value: 'DIR', description: 'The folder the dataset’s images moved to' },
    dicom: { type: 'string', value: 'DIR', description: 'A folder of DICOM files, in any layout (files are judged by content); grouped by patient, study and series' },
    dicomdir: { type: 'string', value: 'F', description: 'A DICOMDIR: the files its records reference (inside its folder)' },
    labels: { type: 'string', value: 'F', description: 'A CSV of key,label[,split] for the dataset’s images (alone, or after --folder, --dicom or --dicomdir)' },
    'labels-key': { type: 'string', value: 'sop|file', description: 'What the --labels key is: the SOP Instance UID or the file path; by default told from the header or the values' },
    preview: { type: 'boolean', description: 'Read and check everything and print what the import would do, without changing the project' },
    json: { type: 'boolean', description: 'Print the import report as JSON' },
  },
  schema: z
    .object({
      project: z.string({ error: 'is required: give the project folder with --project DIR' }).min(1),
      create: z.boolean().default(false),
      dataset: z.string({ error: 'is required: name the dataset with --dataset NAME' }).min(1).max(200),
      folder: z.string().min(1).optional(),
      csv: z.string().min(1).optional(),
      coco: z.string().min(1).optional(),
      voc: z.string().min(1).optional(),
      root: z.string().min(1).optional(),
      regions: z.boolean().default(false),
      masks: z.string().min(1).optional(),
      label: z.string().max(200).optional(),
      reroot: z.string().min(1).optional(),
      dicom: z.string().min(1).optional(),
      dicomdir: z.string().min(1).optional(),
      labels: z.string().min(1).optional(),
      'labels-key': z.enum(['sop', 'file'], { error: 'is sop (SOP Instance UID) or file (the image path)' }).optional(),
      preview: z.boolean().default(false),
      json: z.boolean().default(false),
    })
    .strict()
    .refine((a) => sourceCount(a) === 1 || (sourceCount(a) === 0 && a.labels !== undefined), {
      message: 'give exactly one of --folder, --csv, --coco, --voc, --masks, --dicom, --dicomdir and --reroot (or --labels alone)',
      path: ['folder'],
    })
    .refine((a) => !a.labels || !a.reroot, { message: '--labels cannot go with --reroot: re-root first, then label', path: ['labels'] })
    .refine((a) => !a.preview || !a.labels || sourceCount(a) === 0, { message: '--preview looks at one import: preview the images first, then the --labels of the imported dataset', path: ['preview'] })
    .refine((a) => !a['labels-key'] || a.labels, { message: '--labels-key needs --labels F', path: ['labels-key'] })
    .refine((a) => !(a.csv || a.coco || a.voc) || a.root, { message: '--csv, --coco and --voc need --root DIR, where their images are', path: ['root'] }),
  examples: [
    'lumen import --project study --create --dataset xrays --folder ~/data/xrays',
    'lumen import --project study --dataset xrays --coco instances.json --root ~/data/xrays',
    'lumen import --project study --create --dataset ct --dicomdir /media/cdrom/DICOMDIR --labels findings.csv',
  ],
  async run(args, io) {
    const { api, close } = openLocalApi();
    try {
      const target: ImportTarget = { project: args.project, dataset: args.dataset, create: args.create, preview: args.preview };
      const request = importRequest(args, target);
      const report = request ? await api.call('datasets.import', request) : undefined;
      if (args.reroot) {
        const moved = report?.moved ?? 0;
        io.out(args.json ? JSON.stringify({ dataset: args.dataset, moved }) : `${args.dataset}: ${plural(moved, 'image')} now under ${args.reroot}`);
        return 0;
      }
      const labels = args.labels ? await api.call('datasets.import', { ...target, format: 'labels', labels: args.labels, key: args['labels-key'] ?? 'auto' }) : undefined;
      if (args.json) {
        io.out(JSON.stringify(report ? { ...report, ...(labels ? { labels } : {}) } : labels, null, 2));
        return 0;
      }
      if (args.preview) io.out('Preview: nothing was written to the project.');
      if (report) printReport(report, io.out);
      if (labels) printLabels(labels, io.out);
      return 0;
    } finally {
      await close();
    }
  },
});

/** What every request of one `lumen import` names. */
interface ImportTarget {
  project: string;
  dataset: string;
  create: boolean;
  preview: boolean;
}

/** The one image source the arguments name, as a `datasets.import` request (none: --labels alone). */
function importRequest(
  args: {
  folder?: string | undefined;
  csv?: string | undefined;
  coco?: string | undefined;
  voc?: string | undefined;
  root?: string | undefined;
  regions: boolean;
  masks?: string | undefined;
  label?: string | undefined;
  dicom?: string | undefined;
  dicomdir?: string | undefined;
  reroot?: string | undefined;
  },
  target: ImportTarget,
): ParamsIn<'datasets.import'> | undefined {
  const boxes: BoxKind = args.regions ? 'region' : 'box';
  // --folder reads sub-folders as labels whatever the files are; --dicom groups by patient, study and series.
  if (args.folder) return { ...target, format: 'folder', folder: args.folder, layout: 'labelled-folders' };
  if (args.csv) return { ...target, format: 'csv', csv: args.csv, root: args.root! };
  if (args.coco) return { ...target, format: 'coco', coco: args.coco, root: args.root!, boxes };
  if (args.voc) return { ...target, format: 'voc', voc: args.voc, root: args.root!, boxes };
  if (args.masks) return { ...target, format: 'masks', masks: args.masks, label: args.label ?? '' };
  if (args.dicom) return { ...target, format: 'folder', folder: args.dicom, layout: 'dicom' };
  if (args.dicomdir) return { ...target, format: 'dicomdir', dicomdir: args.dicomdir };
  if (args.reroot) return { ...target, format: 'reroot', reroot: args.reroot };
  return undefined;
}

/** How many image sources an import names (--labels labels what is there, it brings no images). */
function sourceCount(a: Partial<Record<'folder' | 'csv' | 'coco' | 'voc' | 'masks' | 'reroot' | 'dicom' | 'dicomdir', string>>): number {
  return [a.folder, a.csv, a.coco, a.voc, a.masks, a.reroot, a.dicom, a.dicomdir].filter(Boolean).length;
}

function printReport(report: ImportReport, out: (text: string) => void): void {
  const { images, annotations, problems, dicom } = report;
  out(`${report.dataset}: images ${images.added} added, ${images.updated} updated, ${images.unchanged} unchanged; annotations ${annotations.added} added, ${annotations.unchanged} unchanged`);
  if (dicom) {
    const multiFrame = dicom.multiFrame > 0 ? `; ${dicom.multiFrame} multi-frame (each one image: its first frame, with the frame count kept)` : '';
    out(`  DICOM: ${dicom.patients} patient(s), ${dicom.studies} study(ies), ${dicom.series} series, ${dicom.images} image(s)${multiFrame}`);
  }
  for (const p of problems) out(`  ${p.kept ? 'kept' : 'skipped'} ${p.where}: ${p.reason}`);
}

function printLabels(report: ImportReport, out: (text: string) => void): void {
  const key = report.labelsKey === 'sop' ? 'SOP Instance UID' : 'file path';
  out(`${report.dataset}: labels keyed by ${key}: ${report.images.updated} image(s) updated, ${report.images.unchanged} unchanged`);
  for (const p of report.problems) out(`  skipped ${p.where}: ${p.reason}`);
}
