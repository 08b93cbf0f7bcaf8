import { z } from 'zod';
import { defineCommand } from '../command';
import { openLocalApi } from '../local-api';

export const resultsCommand = defineCommand({
  name: 'results',
  summary: 'Query an audit’s per-image results: sort, filter, page',
  usage: 'lumen results --project P --run R [--sort KEY] [--desc] [--label L] [--flagged | --unflagged] [--correct | --wrong] [--offset N] [--limit N] [--json]',
  options: {
    project: { type: 'string', value: 'DIR', description: 'The project folder' },
    run: { type: 'string', value: 'R', description: 'The run (see `lumen jobs`)' },
    sort: { type: 'string', value: 'KEY', description: 'path, confidence, or a stored figure (borderMass, cornerMass, truthMass, a metric id)' },
    desc: { type: 'boolean', description: 'Largest first' },
    label: { type: 'string', value: 'L', description: 'Only images with this dataset label' },
    flagged: { type: 'boolean', description: 'Only flagged images' },
    unflagged: { type: 'boolean', description: 'Only images without flags' },
    correct: { type: 'boolean', description: 'Only correctly classified images' },
    wrong: { type: 'boolean', description: 'Only misclassified images' },
    offset: { type: 'string', value: 'N', description: 'Skip the first N (default 0)' },
    limit: { type: 'string', value: 'N', description: 'At most N rows (default 100)' },
    json: { type: 'boolean', description: 'Print the page as JSON' },
  },
  schema: z
    .object({
      project: z.string({ error: 'is required: give the project folder with --project DIR' }).min(1),
      run: z.coerce.number({ error: 'is required: give the run with --run R' }).int().positive(),
      sort: z.string().min(1).default('path'),
      desc: z.boolean().default(false),
      label: z.string().optional(),
      flagged: z.boolean().default(false),
      unflagged: z.boolean().default(false),
      correct: z.boolean().default(false),
      wrong: z.boolean().default(false),
      offset: z.coerce.number().int().nonnegative().default(0),
      limit: z.coerce.number().int().positive().max(10_000).default(100),
      json: z.boolean().default(false),
    })
    .strict()
    .refine((a) => !(a.flagged && a.unflagged) && !(a.correct && a.wrong), { message: 'choose one of --flagged and --unflagged, and one of --correct and --wrong', path: ['flagged'] }),
  examples: ['lumen results --project study --run 1 --flagged --sort confidence --desc'],
  async run(args, io) {
    const { api, close } = openLocalApi();
    try {
      const page = await api.call('audit.results', {
        project: args.project,
        runId: args.run,
        sort: args.sort,
        descending: args.desc,
        ...(args.label !== undefined ? { label: args.label } : {}),
        ...(args.flagged || args.unflagged ? { flagged: args.flagged } : {}),
        ...(args.correct || args.wrong ? { correct: args.correct } : {}),
        offset: args.offset,
        limit: args.limit,
      });
      if (args.json) {
        io.out(JSON.stringify(page, null, 2));
        return 0;
      }
      io.out(`${page.total} matching image(s); showing ${page.rows.length} from ${args.offset + 1}`);
      for (const r of page.rows) io.out(`  ${r.path} · ${r.label ?? '-'} -> ${r.predicted} (${(100 * r.confidence).toFixed(1)}%)${r.flags.length ? ` · ${r.flags.join('; ')}` : ''}`);
      return 0;
    } finally {
      await close();
    }
  },
});
