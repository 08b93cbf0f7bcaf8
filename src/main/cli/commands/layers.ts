import { z } from 'zod';
import { defineCommand } from '../command';
import { table } from '../format';
import { openLocalApi } from '../local-api';
import { modelArgs, modelOptions, openModelParams } from './shared-options';

/** "NCHW", or for a token layer how many tokens precede the patches ("tokens, 1 extra"). */
function layoutText(layer: { layout: string; extraTokens?: number | undefined }): string {
  return layer.layout === 'tokens' ? `tokens, ${layer.extraTokens ?? 0} extra` : layer.layout;
}

export const layersCommand = defineCommand({
  name: 'layers',
  summary: 'List the spatial feature maps and transformer token layers CAM methods can use (the `layer` parameter)',
  usage: 'lumen layers [--model FILE] [--json]',
  options: { ...modelOptions, json: { type: 'boolean', description: 'Print the layers as JSON' } },
  schema: z.object({ ...modelArgs, json: z.boolean().default(false) }).strict(),
  examples: ['lumen layers', 'lumen layers --model resnet50.onnx --json', 'lumen layers --model vit_b_16.onnx'],
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
        io.out('The model has no spatial feature map or patch-token sequence between its input and its class scores; CAM methods do not apply.');
        return 0;
      }
      io.out(table([['tensor', 'op', 'shape', 'grid [C, H, W]', 'layout', ''], ...layers.map((l) => [l.name, l.op, `[${l.shape.join(', ')}]`, `[${l.channels}, ${l.height}, ${l.width}]`, layoutText(l), l.isDefault ? 'default' : ''])]));
      if (layers.some((l) => l.layout === 'tokens')) {
        io.out('Token layers [1, tokens, C] are read as their patch grid; the class and register tokens before the patches are left out.');
      }
      return 0;
    } finally {
      await close();
    }
  },
});
