import { resolve } from 'node:path';
import { z } from 'zod';
import { methodIds } from '../../../shared/methods/catalogue';
import { checkMethodArgs } from '../catalogue-args';
import { defineCommand } from '../command';
import { openLocalApi } from '../local-api';
import { JsonObject, modelArgs, modelOptions, openModelParams } from './shared-options';

export const exportDicomCommand = defineCommand({
  name: 'export-dicom',
  summary: 'Write an explanation as DICOM (overlay as Secondary Capture, XRAI top regions as Segmentation), de-identified',
  usage: 'lumen export-dicom [--model M.onnx] --image I --method METHOD [--target K] [--params JSON] --out DIR [--segmentation] [--area A] [--colormap C] [--keep-identifiers] [--force] [--json]',
  options: {
    ...modelOptions,
    image: { type: 'string', short: 'i', value: 'FILE', description: 'The image to explain: DICOM (the objects join its study) or JPEG/PNG/WebP/TIFF (a new study)' },
    method: { type: 'string', value: 'METHOD', description: `Attribution method: ${methodIds.join(', ')}` },
    target: { type: 'string', value: 'K', description: 'Class index to explain (default: the top class)' },
    params: { type: 'string', value: 'JSON', description: 'Method parameters as a JSON object (see `lumen methods`)' },
    out: { type: 'string', short: 'o', value: 'DIR', description: 'The folder to write the .dcm files into (created if needed)' },
    segmentation: { type: 'boolean', description: 'Also write XRAI’s top regions as a DICOM Segmentation (runs XRAI unless --method is xrai)' },
    area: { type: 'string', value: 'A', description: 'Share of the image the segmentation’s top regions cover, in (0, 1] (default 0.1)' },
    colormap: { type: 'string', value: 'NAME', description: 'Colormap of the overlay (default inferno)' },
    'keep-identifiers': { type: 'boolean', description: 'Keep the patient’s and study’s identifiers (default: removed by the DICOM PS3.15 Basic Confidentiality Profile)' },
    force: { type: 'boolean', description: 'Replace files of the same name in --out' },
    json: { type: 'boolean', description: 'Print one JSON object with what was written' },
  },
  schema: z
    .object({
      ...modelArgs,
      image: z.string({ error: 'is required: give the image with --image FILE' }).min(1),
      method: z.string({ error: 'is required: give one with --method (see `lumen methods`)' }).min(1),
      target: z.coerce.number().int().nonnegative().optional(),
      params: JsonObject.optional(),
      out: z.string({ error: 'is required: give the folder with --out DIR' }).min(1),
      segmentation: z.boolean().default(false),
      area: z.coerce.number().gt(0, 'must be above 0').lte(1, 'must be at most 1').default(0.1),
      colormap: z.string().min(1).default('inferno'),
      'keep-identifiers': z.boolean().default(false),
      force: z.boolean().default(false),
      json: z.boolean().default(false),
    })
    .strict()
    .superRefine((a, ctx) => checkMethodArgs(a.method, a.params, ctx)),
  examples: [
    'lumen export-dicom --image chest.dcm --method grad-cam --out exports/ --segmentation',
    'lumen export-dicom --model cxr.onnx --image chest.dcm --method integrated-gradients --target 8 --out exports/ --keep-identifiers',
  ],
  async run(args, io) {
    const { api, close } = openLocalApi();
    try {
      const model = await api.call('models.open', openModelParams(args));
      const image = await api.call('images.open', { source: 'file', path: args.image });
      const result = await api.call('dicom.export', {
        modelId: model.id,
        imageId: image.id,
        method: args.method,
        ...(args.target === undefined ? {} : { target: args.target }),
        params: args.params ?? {},
        segmentation: args.segmentation,
        segmentationArea: args.area,
        colormap: args.colormap,
        keepIdentifiers: args['keep-identifiers'],
        outDir: resolve(args.out),
        overwrite: args.force,
      });
      if (args['keep-identifiers']) io.err('warning: --keep-identifiers: the files carry the patient’s and study’s identifiers; do not share them outside your institution.');
      if (args.json) {
        io.out(JSON.stringify({ ...result, files: result.files.map(({ data: _data, ...file }) => file) }, null, 2));
        return 0;
      }
      io.out(`${result.method} for "${result.targetLabel}" (class ${result.target}), ${result.deidentified ? 'de-identified (DICOM PS3.15 Basic Application Level Confidentiality Profile)' : 'identifiers kept'}:`);
      for (const file of result.files) io.out(`  ${file.kind === 'segmentation' ? 'Segmentation     ' : 'Secondary Capture'} ${file.path} (${Math.round(file.bytes / 1024)} KiB)`);
      io.out(`  study ${result.files[0]?.studyInstanceUid ?? ''}`);
      for (const warning of result.warnings) io.out(`  note: ${warning}`);
      return 0;
    } finally {
      await close();
    }
  },
});
