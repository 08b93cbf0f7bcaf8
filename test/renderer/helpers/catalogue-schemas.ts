import { z } from 'zod';
import { methodCatalogue } from '../../../src/shared/methods/catalogue';
import { metricCatalogue } from '../../../src/shared/metrics/catalogue';
import type { JsonSchema } from '../../../src/renderer/src/lib/forms/schema-fields';

/** A method's parameter schema exactly as the engine describes it (describeMethods in src/main/engine/methods/describe.ts). */
export function methodSchema(id: string): JsonSchema {
  const entry = methodCatalogue.find((m) => m.id === id);
  if (!entry) throw new Error(`no method ${id}`);
  return z.toJSONSchema(entry.params, { io: 'input' }) as JsonSchema;
}

/** A metric's parameter schema exactly as the engine describes it (describeMetrics). */
export function metricSchema(id: string): JsonSchema {
  const entry = metricCatalogue.find((m) => m.id === id);
  if (!entry) throw new Error(`no metric ${id}`);
  return z.toJSONSchema(entry.params, { io: 'input' }) as JsonSchema;
}

/** Every schema of the catalogues, for sweeping tests. */
export function allSchemas(): Array<{ id: string; schema: JsonSchema }> {
  return [
    ...methodCatalogue.map((m) => ({ id: `method ${m.id}`, schema: z.toJSONSchema(m.params, { io: 'input' }) as JsonSchema })),
    ...metricCatalogue.map((m) => ({ id: `metric ${m.id}`, schema: z.toJSONSchema(m.params, { io: 'input' }) as JsonSchema })),
  ];
}

/** The zod schema behind a method, to check that what the form sends the engine accepts. */
export function methodZod(id: string): z.ZodType {
  const entry = methodCatalogue.find((m) => m.id === id);
  if (!entry) throw new Error(`no method ${id}`);
  return entry.params;
}

export function metricZod(id: string): z.ZodType {
  const entry = metricCatalogue.find((m) => m.id === id);
  if (!entry) throw new Error(`no metric ${id}`);
  return entry.params;
}
