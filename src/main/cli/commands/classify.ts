import { z } from 'zod';
import { defineCommand } from '../command';
import { ms, percent, table, truncate } from '../format';
import { openLocalApi } from '../local-api';
import { findingsTable } from '../multilabel-output';
import { frameArg, frameOption, modelArgs, modelOptions, openImageFile, openModelParams } from './shared-options';

export const classifyCommand = defineCommand({
  name: 'classify',
  summary: 'Classify an image and print the top-k classes (a multi-label model: every finding and its threshold decision)',
  usage: 'lumen classify --image FILE [--frame N] [--model FILE] [--top K] [--json]',
  options: {
    image: { type: 'string', short: 'i', value: 'FILE', description: 'Image to classify (JPEG, PNG, WebP, TIFF, DICOM; 8 or 16 bit)' },
    ...frameOption,
    ...modelOptions,
    top: { type: 'string', short: 'k', value: 'K', description: 'Number of classes to print (default 5)' },
    json: { type: 'boolean', description: 'Print one JSON object instead of a table' },
  },
  schema: z
    .object({
      image: z.string({ error: 'is required: give the image with --image FILE' }).min(1),
      ...frameArg,
      ...modelArgs,
      top: z.coerce.number().int().min(1).max(1000).default(5),
      json: z.boolean().default(false),
    })
    .strict(),
  examples: ['lumen classify --image resources/samples/coffee.png', 'lumen classify -m model.onnx -i xray.png --top 3 --json'],
  async run(args, io) {
    const { api, close } = openLocalApi();
    try {
      const model = await api.call('models.open', openModelParams(args));
      const image = await openImageFile(api, args.image, args.frame, io.err);
      const result = await api.call('classify', { modelId: model.id, imageId: image.id, topK: args.top });
      if (args.json) {
        io.out(
          JSON.stringify(
            {
              image: image.name,
              model: { fileName: model.fileName, name: model.card.card.name, sha256: model.sha256 },
              outputKind: result.outputKind,
              predictions: result.predictions,
              ...(result.findings ? { findings: result.findings } : {}),
              timings: result.timings,
              executionProvider: result.executionProvider,
            },
            null,
            2,
          ),
        );
        return 0;
      }
      io.out(`${image.name}: ${model.card.card.name}, ${result.executionProvider.used.toUpperCase()}`);
      // A multi-label model's findings are independent: all of them, each with its threshold decision.
      if (result.findings) io.out(findingsTable(result.findings));
      else io.out(table(result.predictions.map((p) => [`${p.rank}.`, truncate(p.label, 48), percent(p.probability).padStart(6), `#${p.index}`])));
      const t = result.timings;
      io.out(`decode+resize ${ms(t.decodeMs)} · normalise ${ms(t.preprocessMs)} · infer ${ms(t.inferMs)} · total ${ms(t.totalMs)}`);
      if (result.executionProvider.fallbackReason && args.provider !== 'auto') io.err(`note: ${result.executionProvider.fallbackReason}`);
      return 0;
    } finally {
      await close();
    }
  },
});
