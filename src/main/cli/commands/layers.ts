import { z } from 'zod';
import { defineCommand } from '../command';
import { table } from '../format';
import { openLocalApi } from '../local-api';
import { modelArgs, modelOptions, openModelParams } from './shared-options';

export const layersCommand = defineCommand({
  name: 'layers',
  summary: 'List the spatial feature maps CAM methods can use (the `layer` parameter)',
  usage: 'lumen layers [--model FILE] [--json]',
  options: { ...modelOptions, json: { type: 'boolean', description: 'Print the layers as JSON' } },
  schema: z.object({ ...modelArgs, json: z.boolean().default(false) }).strict(),
  examples: ['lumen layers', 'lumen layers --model resnet50.onnx --json'],
  async run(args, io) {
    const { api, close } = openLocalApi();
    try {
      const model = await api.call('models.open', openModelParams(args));
      const layers = await api.call('models.layers', { modelId: model.id });
      if (args.json) {
        io.out(JSON.stringify(layers, null, 2));
        return 0;
      }
      if (layers.length === 0) {
        io.out('The model has no spatial feature map between its input and its class scores; CAM methods do not apply.');
        return 0;
      }
      io.out(table([['tensor', 'op', 'shape', 'layout', ''], ...layers.map((l) => [l.name, l.op, `[${l.shape.join(', ')}]`, l.layout, l.isDefault ? 'default' : ''])]));
      return 0;
    } finally {
      await close();
    }
  },
});
