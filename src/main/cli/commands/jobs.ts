import { z } from 'zod';
import { defineCommand } from '../command';
import { openLocalApi } from '../local-api';

export const jobsCommand = defineCommand({
  name: 'jobs',
  summary: 'List a project’s jobs with their state and progress',
  usage: 'lumen jobs --project P [--json]',
  options: {
    project: { type: 'string', value: 'DIR', description: 'The project folder' },
    json: { type: 'boolean', description: 'Print the jobs as JSON' },
  },
  schema: z.object({ project: z.string({ error: 'is required: give the project folder with --project DIR' }).min(1), json: z.boolean().default(false) }).strict(),
  examples: ['lumen jobs --project study'],
  async run(args, io) {
    const { api, close } = openLocalApi();
    try {
      const jobs = await api.call('jobs.list', { project: args.project });
      if (args.json) io.out(JSON.stringify(jobs, null, 2));
      else for (const j of jobs) io.out(`job ${j.id} (run ${j.runId ?? '-'}, ${j.method ?? '-'}): ${j.state}, ${j.done}/${j.total}${j.error ? ` · ${j.error}` : ''} · ${j.updatedAt}`);
      return 0;
    } finally {
      await close();
    }
  },
});
