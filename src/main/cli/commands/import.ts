import { z } from 'zod';
import { LumenError } from '../../../shared/errors';
import { importCoco, importCsv, importFolder, importMasks, importVoc, rerootDataset, type ImportReport } from '../../engine/project/dataset-import';
import { diskFullError, isDiskFull } from '../../engine/project/disk-full';
import { ProjectStore } from '../../engine/project/project-store';
import { checkImportSource } from '../../engine/project/import/source-file';
import { defineCommand } from '../command';

export const importCommand = defineCommand({
  name: 'import',
  summary: 'Import a dataset into a project (folder tree, CSV, COCO, Pascal VOC, masks), or re-root a moved one',
  usage: 'lumen import --project P --dataset NAME (--folder DIR | --csv F --root DIR | --coco F --root DIR [--regions] | --voc DIR --root DIR [--regions] | --masks DIR [--label L] | --reroot DIR) [--create] [--json]',
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
      json: z.boolean().default(false),
    })
    .strict()
    .refine((a) => [a.folder, a.csv, a.coco, a.voc, a.masks, a.reroot].filter(Boolean).length === 1, { message: 'give exactly one of --folder, --csv, --coco, --voc, --masks and --reroot', path: ['folder'] })
    .refine((a) => !(a.csv || a.coco || a.voc) || a.root, { message: '--csv, --coco and --voc need --root DIR, where their images are', path: ['root'] }),
  examples: ['lumen import --project study --create --dataset xrays --folder ~/data/xrays', 'lumen import --project study --dataset xrays --coco instances.json --root ~/data/xrays'],
  async run(args, io) {
    checkSources(args);
    const store = ProjectStore.open(args.project, { create: args.create });
    try {
      if (args.reroot) {
        const { moved } = rerootDataset(store, args.dataset, args.reroot);
        io.out(args.json ? JSON.stringify({ dataset: args.dataset, moved }) : `${args.dataset}: ${moved} images now under ${args.reroot}`);
        return 0;
      }
      let report: ImportReport;
      if (args.folder) report = await importFolder(store, args.dataset, args.folder);
      else if (args.csv) report = await importCsv(store, args.dataset, args.csv, args.root!);
      else if (args.coco) report = await importCoco(store, args.dataset, args.coco, args.root!, args.regions ? 'region' : 'box');
      else if (args.voc) report = await importVoc(store, args.dataset, args.voc, args.root!, args.regions ? 'region' : 'box');
      else if (args.masks) report = importMasks(store, args.dataset, args.masks, args.label ?? '');
      else throw new LumenError('internal', 'No import source.');
      if (args.json) {
        io.out(JSON.stringify(report, null, 2));
        return 0;
      }
      const { images, annotations, problems } = report;
      io.out(`${report.dataset}: images ${images.added} added, ${images.updated} updated, ${images.unchanged} unchanged; annotations ${annotations.added} added, ${annotations.unchanged} unchanged`);
      for (const p of problems) io.out(`  ${p.kept ? 'kept' : 'skipped'} ${p.where}: ${p.reason}`);
      return 0;
    } catch (error) {
      throw isDiskFull(error) ? diskFullError(store.folder, 'save changes in', error) : error;
    } finally {
      store.close();
    }
  },
});

/** Every path the import will read, checked before the project is opened (or created). */
function checkSources(args: { folder?: string | undefined; csv?: string | undefined; coco?: string | undefined; voc?: string | undefined; masks?: string | undefined; root?: string | undefined }): void {
  if (args.folder) checkImportSource(args.folder, 'image folder', 'folder');
  if (args.csv) checkImportSource(args.csv, 'CSV file', 'file');
  if (args.coco) checkImportSource(args.coco, 'COCO file', 'file');
  if (args.voc) checkImportSource(args.voc, 'VOC folder', 'folder');
  if (args.masks) checkImportSource(args.masks, 'mask folder', 'folder');
  if (args.root) checkImportSource(args.root, 'image root', 'folder');
}
