import { z } from 'zod';
import { LumenError } from '../../../shared/errors';
import { importCoco, importCsv, importDicomdir, importDicomFolder, importFolder, importLabels, importMasks, importVoc, rerootDataset, type ImportReport } from '../../engine/project/dataset-import';
import { diskFullError, isDiskFull } from '../../engine/project/disk-full';
import { ProjectStore } from '../../engine/project/project-store';
import { checkImportSource } from '../../engine/project/import/source-file';
import { defineCommand } from '../command';
import { plural } from '../../../shared/plural';

export const importCommand = defineCommand({
  name: 'import',
  summary: 'Import a dataset into a project (folder tree, CSV, COCO, Pascal VOC, masks, DICOM folder or DICOMDIR), label it from a CSV, or re-root a moved one',
  usage:
    'lumen import --project P --dataset NAME (--folder DIR | --csv F --root DIR | --coco F --root DIR [--regions] | --voc DIR --root DIR [--regions] | --masks DIR [--label L] | --dicom DIR | --dicomdir F | --reroot DIR) [--labels F [--labels-key sop|file]] [--create] [--json]',
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
      json: z.boolean().default(false),
    })
    .strict()
    .refine((a) => sourceCount(a) === 1 || (sourceCount(a) === 0 && a.labels !== undefined), {
      message: 'give exactly one of --folder, --csv, --coco, --voc, --masks, --dicom, --dicomdir and --reroot (or --labels alone)',
      path: ['folder'],
    })
    .refine((a) => !a.labels || !a.reroot, { message: '--labels cannot go with --reroot: re-root first, then label', path: ['labels'] })
    .refine((a) => !a['labels-key'] || a.labels, { message: '--labels-key needs --labels F', path: ['labels-key'] })
    .refine((a) => !(a.csv || a.coco || a.voc) || a.root, { message: '--csv, --coco and --voc need --root DIR, where their images are', path: ['root'] }),
  examples: [
    'lumen import --project study --create --dataset xrays --folder ~/data/xrays',
    'lumen import --project study --dataset xrays --coco instances.json --root ~/data/xrays',
    'lumen import --project study --create --dataset ct --dicomdir /media/cdrom/DICOMDIR --labels findings.csv',
  ],
  async run(args, io) {
    checkSources(args);
    const store = ProjectStore.open(args.project, { create: args.create });
    try {
      if (args.reroot) {
        const { moved } = rerootDataset(store, args.dataset, args.reroot);
        io.out(args.json ? JSON.stringify({ dataset: args.dataset, moved }) : `${args.dataset}: ${plural(moved, 'image')} now under ${args.reroot}`);
        return 0;
      }
      let report: ImportReport | undefined;
      if (args.folder) report = await importFolder(store, args.dataset, args.folder);
      else if (args.csv) report = await importCsv(store, args.dataset, args.csv, args.root!);
      else if (args.coco) report = await importCoco(store, args.dataset, args.coco, args.root!, args.regions ? 'region' : 'box');
      else if (args.voc) report = await importVoc(store, args.dataset, args.voc, args.root!, args.regions ? 'region' : 'box');
      else if (args.masks) report = importMasks(store, args.dataset, args.masks, args.label ?? '');
      else if (args.dicom) report = await importDicomFolder(store, args.dataset, args.dicom);
      else if (args.dicomdir) report = await importDicomdir(store, args.dataset, args.dicomdir);
      else if (!args.labels) throw new LumenError('internal', 'No import source.');
      const labels = args.labels ? importLabels(store, args.dataset, args.labels, args['labels-key'] ?? 'auto') : undefined;
      if (args.json) {
        io.out(JSON.stringify(report ? { ...report, ...(labels ? { labels } : {}) } : labels, null, 2));
        return 0;
      }
      if (report) printReport(report, io.out);
      if (labels) printLabels(labels, io.out);
      return 0;
    } catch (error) {
      throw isDiskFull(error) ? diskFullError(store.folder, 'save changes in', error) : error;
    } finally {
      store.close();
    }
  },
});

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

/** Every path the import will read, checked before the project is opened (or created). */
function checkSources(args: {
  folder?: string | undefined;
  csv?: string | undefined;
  coco?: string | undefined;
  voc?: string | undefined;
  masks?: string | undefined;
  root?: string | undefined;
  dicom?: string | undefined;
  dicomdir?: string | undefined;
  labels?: string | undefined;
}): void {
  if (args.folder) checkImportSource(args.folder, 'image folder', 'folder');
  if (args.csv) checkImportSource(args.csv, 'CSV file', 'file');
  if (args.coco) checkImportSource(args.coco, 'COCO file', 'file');
  if (args.voc) checkImportSource(args.voc, 'VOC folder', 'folder');
  if (args.masks) checkImportSource(args.masks, 'mask folder', 'folder');
  if (args.root) checkImportSource(args.root, 'image root', 'folder');
  if (args.dicom) checkImportSource(args.dicom, 'DICOM folder', 'folder');
  if (args.dicomdir) checkImportSource(args.dicomdir, 'DICOMDIR', 'file');
  if (args.labels) checkImportSource(args.labels, 'label CSV', 'file');
}
