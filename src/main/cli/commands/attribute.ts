import { resolve } from 'node:path';
import { z } from 'zod';
import { methodIds } from '../../../shared/methods/catalogue';
import { writeNpyFile } from '../../engine/io/npy';
import { checkMethodArgs } from '../catalogue-args';
import { defineCommand } from '../command';
import { ms } from '../format';
import { openLocalApi } from '../local-api';
import { pngArgs, pngModeProblem, pngOptions, writeAttributionPng } from './attribute-png';
import { frameArg, frameOption, JsonObject, modelArgs, modelOptions, openImageFile, openModelParams, resolveInput } from './shared-options';
import { describeRuns } from './run-count';

export const attributeCommand = defineCommand({
  name: 'attribute',
  summary: 'Compute an attribution map and write it as .npy (and optionally a PNG: the map over the image)',
  usage: 'lumen attribute [--model M.onnx] (--input X.npy | --image I [--frame N]) --method METHOD [--target N] [--params JSON] --out OUT.npy [--png OUT.png [--png-mode overlay|bare] [--colormap NAME]] [--repeat N] [--json]',
  options: {
    ...modelOptions,
    input: { type: 'string', value: 'X.npy', description: 'Preprocessed float32 input tensor shaped like the model input, e.g. [1,C,H,W]' },
    image: { type: 'string', short: 'i', value: 'FILE', description: 'An image, preprocessed as the model card says' },
    ...frameOption,
    method: { type: 'string', value: 'METHOD', description: `Attribution method: ${methodIds.join(', ')}` },
    target: { type: 'string', value: 'N', description: 'Class index to explain (default: the top class)' },
    params: { type: 'string', value: 'JSON', description: 'Method parameters as a JSON object, e.g. \'{"steps":32}\' (see `lumen methods`)' },
    out: { type: 'string', short: 'o', value: 'OUT.npy', description: 'Where to write the attribution (float32, C order)' },
    ...pngOptions,
    repeat: { type: 'string', value: 'N', description: 'Run N times and report the median compute time (default 1)' },
    json: { type: 'boolean', description: 'Print one JSON object with the run’s facts' },
  },
  schema: z
    .object({
      ...modelArgs,
      input: z.string().min(1).optional(),
      image: z.string().min(1).optional(),
      ...frameArg,
      method: z.string({ error: 'is required: give one with --method (see `lumen methods`)' }).min(1),
      target: z.coerce.number().int().nonnegative().optional(),
      params: JsonObject.optional(),
      out: z.string({ error: 'is required: give the output file with --out OUT.npy' }).regex(/\.npy$/i, 'must end in .npy'),
      ...pngArgs,
      repeat: z.coerce.number().int().min(1).max(100).default(1),
      json: z.boolean().default(false),
    })
    .strict()
    .refine((a) => (a.input === undefined) !== (a.image === undefined), { message: 'give exactly one of --input X.npy and --image FILE', path: ['input'] })
    .superRefine((a, ctx) => {
      const problem = pngModeProblem(a);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['png-mode'] });
    })
    .superRefine((a, ctx) => checkMethodArgs(a.method, a.params, ctx)),
  examples: [
    'lumen attribute --image resources/samples/coffee.png --method integrated-gradients --params \'{"steps":32}\' --out ig.npy --png ig.png',
    'lumen attribute --image scan.png --method grad-cam --out cam.npy --png cam.png --png-mode bare --colormap inferno',
    'lumen attribute --model resnet.onnx --input x.npy --method gradient --target 3 --out grad.npy --json',
  ],
  async run(args, io) {
    const { api, close } = openLocalApi();
    try {
      const model = await api.call('models.open', openModelParams(args));
      // With --image the summary is kept: the PNG overlay needs the original's size and preview.
      const image = args.image ? await openImageFile(api, args.image, args.frame, io.err) : undefined;
      const input = image ? { kind: 'image' as const, imageId: image.id } : await resolveInput(api, args);
      const result = await api.call('attribute', {
        modelId: model.id,
        input,
        method: args.method,
        ...(args.target === undefined ? {} : { target: args.target }),
        params: args.params ?? {},
        repeat: args.repeat,
      });
      await writeNpyFile(resolve(args.out), { shape: result.dims, data: result.data });
      const png = args.png ? await writeAttributionPng({ ...args, png: args.png }, result, model.card.card, image) : undefined;
      const facts = {
        method: result.method,
        target: result.target,
        targetLabel: result.targetLabel,
        objective: result.objective,
        params: result.params,
        dims: result.dims,
        computeMs: result.timings.computeMs,
        computeRunsMs: result.timings.computeRunsMs,
        compileMs: result.timings.compileMs,
        loadMs: model.loadMs,
        graphSource: result.graphSource,
        graphRuns: result.graphRuns,
        executionProvider: result.executionProvider.used,
        ...('completenessError' in result.figures ? { completenessError: result.figures['completenessError'] } : {}),
        figures: result.figures,
        // XRAI: the ranked regions; LIME and SHAP: the value of each segment.
        ...(result.regions ? { regions: result.regions.list } : {}),
        ...(result.segments ? { segmentValues: result.segments.values } : {}),
        notes: [...result.notes, ...(png?.note ? [png.note] : [])],
        out: args.out,
        ...(args.png && png ? { png: args.png, pngMode: png.mode, pngSize: [png.width, png.height] } : {}),
      };
      if (args.json) {
        io.out(JSON.stringify(facts, null, 2));
        return 0;
      }
      io.out(`${result.method} for "${result.targetLabel}" (class ${result.target}) -> ${args.out} [${result.dims.join(', ')}]`);
      io.out(`compute ${ms(result.timings.computeMs)} (median of ${args.repeat}) · compile ${ms(result.timings.compileMs)} (${result.graphSource.join(', ') || 'no graph'}) · ${describeRuns(result.graphRuns, result.figures)} · ${result.executionProvider.used.toUpperCase()}`);
      for (const [name, value] of Object.entries(result.figures)) io.out(`  ${name}: ${Number.isInteger(value) ? value : value.toPrecision(6)}`);
      if (result.regions) {
        const top = result.regions.list.slice(0, 5).map((r) => `#${r.rank} gain ${r.gain.toPrecision(3)} (${(100 * r.cumulativeArea).toFixed(1)}% cumulative)`);
        io.out(`  regions: ${result.regions.list.length}; ${top.join(', ')}${result.regions.list.length > 5 ? ', …' : ''}`);
      }
      if (args.png && png) io.out(`  png: ${args.png} (${png.mode === 'overlay' ? 'overlay on the image' : 'bare map'}, ${png.width} x ${png.height})`);
      for (const note of [...result.notes, ...(png?.note ? [png.note] : [])]) io.out(`  note: ${note}`);
      return 0;
    } finally {
      await close();
    }
  },
});
