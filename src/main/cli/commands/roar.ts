import { z } from 'zod';
import { defineCommand } from '../command';
import { ms } from '../format';
import { openLocalApi } from '../local-api';
import { JsonObject, modelArgs, modelOptions, openModelParams } from './shared-options';

export const roarCommand = defineCommand({
  name: 'roar',
  summary: 'ROAR on a labelled image folder: remove the most relevant pixels, retrain (the head, or the whole of a small network), measure the accuracy drop against random removal',
  usage:
    'lumen roar [--model M.onnx] --dataset DIR --method METHOD [--params JSON] [--fractions 0.1,0.3,…] [--test-fraction F] [--limit N] [--seed S] [--retrain head|full] [--epochs N] [--learning-rate LR] [--batch-size B] [--init scratch|fine-tune] [--estimate] [--json]',
  options: {
    ...modelOptions,
    dataset: { type: 'string', value: 'DIR', description: 'A folder with one sub-folder of images per class' },
    method: { type: 'string', value: 'METHOD', description: 'The attribution method evaluated' },
    params: { type: 'string', value: 'JSON', description: 'The method’s parameters as a JSON object' },
    fractions: { type: 'string', value: 'LIST', description: 'Fractions of pixels removed, comma-separated (default 0.1,0.3,0.5,0.7,0.9 as the paper)' },
    'test-fraction': { type: 'string', value: 'F', description: 'Share of each class held out for testing (default 0.2)' },
    limit: { type: 'string', value: 'N', description: 'At most N images, balanced over the classes' },
    seed: { type: 'string', value: 'S', description: 'Seed of the split and the random control (default 0)' },
    retrain: { type: 'string', value: 'head|full', description: 'Retrain the classification head on frozen features (default), or the whole network (models of at most 5 M parameters)' },
    epochs: { type: 'string', value: 'N', description: 'Full retraining: epochs (default 20)' },
    'learning-rate': { type: 'string', value: 'LR', description: 'Full retraining: SGD learning rate (default 0.05, momentum 0.9)' },
    'batch-size': { type: 'string', value: 'B', description: 'Full retraining: batch size (default 16)' },
    init: { type: 'string', value: 'scratch|fine-tune', description: 'Full retraining: re-initialise the network (default, as the paper) or start from its weights' },
    estimate: { type: 'boolean', description: 'Only estimate the cost (times one image) and stop' },
    json: { type: 'boolean', description: 'Print the result as JSON' },
  },
  schema: z
    .object({
      ...modelArgs,
      dataset: z.string({ error: 'is required: give the labelled folder with --dataset DIR' }).min(1),
      method: z.string({ error: 'is required: give one with --method (see `lumen methods`)' }).min(1),
      params: JsonObject.optional(),
      fractions: z
        .string()
        .transform((s) => s.split(',').map(Number))
        .pipe(z.array(z.number().gt(0).lt(1, 'each fraction must be between 0 and 1')).min(1))
        .optional(),
      'test-fraction': z.coerce.number().gt(0).lt(1).optional(),
      limit: z.coerce.number().int().positive().optional(),
      seed: z.coerce.number().int().min(0).default(0),
      retrain: z.enum(['head', 'full']).default('head'),
      epochs: z.coerce.number().int().min(1).max(1000).optional(),
      'learning-rate': z.coerce.number().gt(0).max(10).optional(),
      'batch-size': z.coerce.number().int().min(1).max(1024).optional(),
      init: z.enum(['scratch', 'fine-tune']).optional(),
      estimate: z.boolean().default(false),
      json: z.boolean().default(false),
    })
    .strict(),
  examples: [
    'lumen roar --dataset chest-xrays/ --method grad-cam --limit 200',
    'lumen roar --dataset chest-xrays/ --method integrated-gradients --estimate',
    'lumen roar --model small-cnn.onnx --dataset digits/ --method gradient-x-input --retrain full --epochs 30',
  ],
  async run(args, io) {
    const { api, close } = openLocalApi();
    try {
      const model = await api.call('models.open', openModelParams(args));
      const common = {
        modelId: model.id,
        dataset: args.dataset,
        method: args.method,
        params: args.params ?? {},
        ...(args.fractions ? { fractions: args.fractions } : {}),
        ...(args['test-fraction'] ? { testFraction: args['test-fraction'] } : {}),
        ...(args.limit ? { limit: args.limit } : {}),
        seed: args.seed,
        ...(args.retrain === 'full'
          ? {
              retrain: 'full' as const,
              training: {
                ...(args.epochs ? { epochs: args.epochs } : {}),
                ...(args['learning-rate'] ? { learningRate: args['learning-rate'] } : {}),
                ...(args['batch-size'] ? { batchSize: args['batch-size'] } : {}),
                ...(args.init ? { init: args.init } : {}),
              },
            }
          : {}),
      };
      const estimate = await api.call('roar', { ...common, estimateOnly: true });
      const e = estimate.estimate;
      if (estimate.mode === 'roar-full') {
        io.err(
          `ROAR (whole network retrained) on ${e.images} images of ${estimate.classes.length} classes: ${e.attributions} attributions, ${e.fullTrainings} trainings of ${(e.parameters ?? 0).toLocaleString('en-US')} parameters, ${e.trainingSteps} SGD steps (parameters × images × epochs: ${(e.parameterImageEpochs ?? 0).toExponential(2)}); about ${ms(e.estimatedMs)}.`,
        );
      } else io.err(`ROAR (head retrained) on ${e.images} images of ${estimate.classes.length} classes: ${e.attributions} attributions, ${e.featurePasses} feature passes, ${e.headTrainings} head trainings; about ${ms(e.estimatedMs)}.`);
      if (args.estimate) {
        if (args.json) io.out(JSON.stringify(estimate, null, 2));
        return 0;
      }
      const result = await api.call('roar', common);
      if (args.json) {
        io.out(JSON.stringify(result, null, 2));
        return 0;
      }
      io.out(`${result.mode} · ${result.method} · classes ${result.classes.join(', ')} · ${result.trainImages} train / ${result.testImages} test images · ${ms(result.computeMs)}`);
      io.out(`  accuracy without removal: ${(100 * result.baselineAccuracy).toFixed(1)}%`);
      result.fractions.forEach((f, i) => io.out(`  ${(100 * f).toFixed(0)}% removed: method ${(100 * result.methodAccuracy[i]!).toFixed(1)}%, random ${(100 * result.randomAccuracy[i]!).toFixed(1)}%`));
      io.out(`  score (mean random − method accuracy, higher is better): ${result.score.toFixed(3)}`);
      for (const note of result.notes) io.out(`  note: ${note}`);
      return 0;
    } finally {
      await close();
    }
  },
});
