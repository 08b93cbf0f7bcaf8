import type { z } from 'zod';
import { methodEntry } from '../../shared/methods/catalogue';
import { metricEntry } from '../../shared/metrics/catalogue';

/**
 * --method/--params and --metric/--metric-params checked against the catalogues while the command
 * line is parsed: a misspelt method or parameter is a usage error (exit 2) found before the model
 * loads, not a failed run (exit 1) after it. The engine validates again with the same schemas.
 */

type Ctx = z.RefinementCtx;
type Params = Record<string, unknown> | undefined;

const list = (text: string): string[] => text.split(',').map((s) => s.trim()).filter(Boolean);
const quoted = (ids: string[]): string => ids.map((id) => `"${id}"`).join(', ');

/** One or several methods (comma-separated); several take their parameters keyed by method id. */
export function checkMethodArgs(method: string, params: Params, ctx: Ctx): void {
  // zod runs refinements even after a field failed (an empty --method): nothing more to say then.
  if (typeof method !== 'string' || method === '') return;
  const methods = list(method);
  if (methods.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['method'], message: 'names no method (see `lumen methods`)' });
    return;
  }
  const unknown = methods.filter((m) => !methodEntry(m));
  if (unknown.length > 0) {
    ctx.addIssue({ code: 'custom', path: ['method'], message: `${quoted(unknown)} ${unknown.length > 1 ? 'are not methods' : 'is not a method'} Lumen knows (see \`lumen methods\`)` });
    return;
  }
  checkParams({ flag: 'params', ids: methods, keyed: methods.length > 1, kind: 'methods' }, params, (id) => methodEntry(id)!.params, ctx);
}

/** Metrics as parsed from --metric, with --metric-params: one object for one metric, or keyed by metric id. */
export function checkMetricArgs(metrics: string[], params: Params, ctx: Ctx): void {
  // An empty --metric fails its own check and reaches here untransformed: nothing more to say then.
  if (!Array.isArray(metrics)) return;
  if (metrics.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['metric'], message: 'names no metric (see `lumen metrics`)' });
    return;
  }
  const unknown = metrics.filter((m) => !metricEntry(m));
  if (unknown.length > 0) {
    ctx.addIssue({ code: 'custom', path: ['metric'], message: `${quoted(unknown)} ${unknown.length > 1 ? 'are not metrics' : 'is not a metric'} Lumen knows (see \`lumen metrics\`)` });
    return;
  }
  // A single metric may also take its parameters keyed by its own id, as several metrics do.
  const keyed = metrics.length > 1 || (params !== undefined && metrics[0]! in params);
  checkParams({ flag: 'metric-params', ids: metrics, keyed, kind: 'metrics' }, params, (id) => metricEntry(id)!.params, ctx);
}

interface ParamsFlag {
  flag: 'params' | 'metric-params';
  ids: string[];
  /** Whether the object holds one entry per id rather than the one id's parameters. */
  keyed: boolean;
  kind: 'methods' | 'metrics';
}

function checkParams({ flag, ids, keyed, kind }: ParamsFlag, params: Params, schemaOf: (id: string) => z.ZodType, ctx: Ctx): void {
  // Not an object when --params itself failed to parse (already reported).
  if (typeof params !== 'object' || params === null || ids.length === 0) return;
  const byId: Record<string, unknown> = keyed ? params : { [ids[0]!]: params };
  const stray = Object.keys(byId).filter((key) => !ids.includes(key));
  if (stray.length > 0) {
    ctx.addIssue({
      code: 'custom',
      path: [flag],
      message: `names ${stray.join(', ')}, which ${stray.length > 1 ? 'are' : 'is'} not among the ${kind} asked for (${ids.join(', ')}); with several, key the parameters by id, e.g. '{"${ids[0]!}": {…}}'`,
    });
    return;
  }
  for (const id of ids) {
    const given = byId[id] ?? {};
    const parsed = schemaOf(id).safeParse(given);
    if (!parsed.success) ctx.addIssue({ code: 'custom', path: [flag], message: `for ${id}, ${describeParamsError(parsed.error)} (see \`lumen ${kind}\` for its parameters)` });
  }
}

/** zod's issues inside a parameters object: "steps: too small…; unrecognized key: "bogus"". */
function describeParamsError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const text = issue.message.charAt(0).toLowerCase() + issue.message.slice(1);
      return issue.path.length > 0 ? `${issue.path.join('.')}: ${text}` : text;
    })
    .join('; ');
}
