import type { JsonSchema } from './schema-fields';

/**
 * Parameters the inspector sets with controls of its own, by method: XRAI's `areaThreshold` is the
 * "Highlighted area" slider under the image (it masks the regions already computed, without a new
 * run), so a form field for it would be a second control for the same thing.
 */
export const paramsWithOwnControl: Readonly<Record<string, readonly string[]>> = {
  xrai: ['areaThreshold'],
};

/** The method's parameter schema without the parameters the inspector has its own controls for. */
export function inspectorParamsSchema(methodId: string, schema: JsonSchema): JsonSchema {
  const own = paramsWithOwnControl[methodId];
  if (!own || typeof schema['properties'] !== 'object' || schema['properties'] === null) return schema;
  const properties = Object.fromEntries(Object.entries(schema['properties'] as Record<string, unknown>).filter(([name]) => !own.includes(name)));
  const required = Array.isArray(schema['required']) ? (schema['required'] as unknown[]).filter((name) => !own.includes(name as string)) : undefined;
  return { ...schema, properties, ...(required ? { required } : {}) };
}
