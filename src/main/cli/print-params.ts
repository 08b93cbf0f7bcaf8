interface JsonSchemaProperty {
  type?: string;
  enum?: unknown[];
  default?: unknown;
  description?: string;
  anyOf?: JsonSchemaProperty[];
}

/** One line per parameter of a JSON Schema object: name, allowed values, default, help text. */
export function paramLines(schema: Record<string, unknown>, indent = '    '): string[] {
  const properties = (schema['properties'] ?? {}) as Record<string, JsonSchemaProperty>;
  return Object.entries(properties).map(([name, p]) => {
    const type = p.enum ? p.enum.join(' | ') : (p.type ?? p.anyOf?.map((a) => a.enum?.join(' | ') ?? a.type).join(' | ') ?? 'value');
    const fallback = p.default === undefined ? '' : ` = ${JSON.stringify(p.default)}`;
    return `${indent}${name}: ${type}${fallback}  ${p.description ?? ''}`;
  });
}
