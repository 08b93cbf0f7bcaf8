import { z } from 'zod';
import type { TensorInfo } from '../../../shared/contract/model';
import { defineCommand } from '../command';
import { table } from '../format';
import { openLocalApi } from '../local-api';
import { modelArgs, modelOptions, openModelParams } from './shared-options';

const shape = (t: TensorInfo): string => `${t.name} ${t.elementType}[${t.shape.join(', ')}]`;

export const infoCommand = defineCommand({
  name: 'info',
  summary: 'Describe a model: inputs, outputs, opset, operators, parameters and its card',
  usage: 'lumen info [--model FILE] [--json]',
  options: { ...modelOptions, json: { type: 'boolean', description: 'Print one JSON object' } },
  schema: z.object({ ...modelArgs, json: z.boolean().default(false) }).strict(),
  examples: ['lumen info', 'lumen info --model resnet50.onnx --json'],
  async run(args, io) {
    const { api, close } = openLocalApi();
    try {
      const model = await api.call('models.open', openModelParams(args));
      const details = await api.call('models.details', { modelId: model.id });
      if (args.json) {
        io.out(JSON.stringify({ ...details, card: model.card, executionProvider: model.executionProvider }, null, 2));
        return 0;
      }
      const { card, sources, notes } = model.card;
      io.out(`${details.fileName}  (sha256 ${details.sha256.slice(0, 16)}…)`);
      io.out(
        table([
          ['name', card.name],
          ['producer', details.producer || '(not recorded)'],
          ['IR version', String(details.irVersion)],
          ['opsets', details.opsets.map((o) => `${o.domain} ${o.version}`).join(', ')],
          ['inputs', details.inputs.map(shape).join('; ')],
          ['outputs', details.outputs.map(shape).join('; ')],
          ['nodes', String(details.nodeCount)],
          ['parameters', details.parameterCount.toLocaleString('en-US')],
          ['weights', `${(details.initializerBytes / 2 ** 20).toFixed(1)} MiB`],
        ]),
      );
      io.out('\nOperators:');
      const ops = Object.entries(details.operators).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      io.out(table(ops.map(([op, n]) => [`  ${op}`, String(n)])));
      io.out('\nCard (source in brackets):');
      const rows: string[][] = [
        ['  input', `${card.input.name} ${card.input.layout} ${card.input.height}x${card.input.width} ${card.input.color}`, `[${sources['input.layout']}]`],
        ['  resize', JSON.stringify(card.preprocess.resize) + ` ${card.preprocess.interpolation}`, `[${sources['preprocess.resize']}]`],
        ['  normalise', `scale ${card.preprocess.scale}, mean ${JSON.stringify(card.preprocess.mean)}, std ${JSON.stringify(card.preprocess.std)}`, `[${sources['preprocess.mean']}]`],
        ['  output', `${card.output.name} (${card.output.kind}), ${card.output.labels.length} labels`, `[${sources['output.kind']}]`],
      ];
      // The medical preprocessing fields, only when the card sets them (in the order they apply).
      const { window, invert, valueRange, zscore } = card.preprocess;
      const medical = { acceptsPhotometric: card.input.acceptsPhotometric, window, invert, valueRange, zscore };
      for (const [key, value] of Object.entries(medical)) {
        if (value !== undefined) rows.push([`  ${key}`, JSON.stringify(value), `[${sources[key === 'acceptsPhotometric' ? 'input.acceptsPhotometric' : `preprocess.${key}`]}]`]);
      }
      io.out(table(rows));
      for (const note of notes) io.out(`  note: ${note}`);
      io.out(`\nExecution provider: ${model.executionProvider.used}${model.executionProvider.fallbackReason ? ` (${model.executionProvider.fallbackReason})` : ''}`);
      return 0;
    } finally {
      await close();
    }
  },
});
