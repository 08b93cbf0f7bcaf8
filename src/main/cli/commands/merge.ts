import { z } from 'zod';
import { defineCommand } from '../command';
import { openLocalApi } from '../local-api';

export const mergeCommand = defineCommand({
  name: 'merge',
  summary: 'Merge the shard databases of `lumen audit --shard i/N` into the project (idempotent)',
  usage: 'lumen merge --project P [--json]',
  options: {
    project: { type: 'string', value: 'DIR', description: 'The project folder (its shards/ folder holds the shard databases)' },
    json: { type: 'boolean', description: 'Print the counts as JSON' },
  },
  schema: z.object({ project: z.string({ error: 'is required: give the project folder with --project DIR' }).min(1), json: z.boolean().default(false) }).strict(),
  examples: ['lumen merge --project study'],
  async run(args, io) {
    const { api, close } = openLocalApi();
    try {
      const result = await api.call('projects.merge', { project: args.project });
      io.out(args.json ? JSON.stringify(result) : `${result.shards} shard(s): ${result.added} result(s) added, ${result.unchanged} already in the project`);
      return 0;
    } finally {
      await close();
    }
  },
});
