import { z } from 'zod';
import { defineCommand } from '../command';
import { openLocalApi } from '../local-api';
import { paramLines } from '../print-params';

export const methodsCommand = defineCommand({
  name: 'methods',
  summary: 'List the attribution methods and their parameters',
  usage: 'lumen methods [--json]',
  options: { json: { type: 'boolean', description: 'Print the catalogue as JSON (parameters as JSON Schema)' } },
  schema: z.object({ json: z.boolean().default(false) }).strict(),
  examples: ['lumen methods'],
  async run(args, io) {
    const { api, close } = openLocalApi();
    try {
      const methods = await api.call('methods.list', {});
      if (args.json) {
        io.out(JSON.stringify(methods, null, 2));
        return 0;
      }
      for (const m of methods) {
        io.out(`${m.id}  (${m.family}, ${m.output}${m.stochastic ? ', stochastic' : ''}): ${m.summary}`);
        for (const line of paramLines(m.params)) io.out(line);
      }
      return 0;
    } finally {
      await close();
    }
  },
});
