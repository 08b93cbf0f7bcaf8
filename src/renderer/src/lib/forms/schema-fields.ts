/**
 * Form fields from a JSON Schema, as the engine describes each method's and metric's parameters
 * (zod's z.toJSONSchema with io 'input': defaults make fields optional, `.describe()` gives the
 * description). Each property becomes one field; what a plain control cannot edit (nested objects,
 * lists, unions of different types) falls back to a JSON field validated against its sub-schema.
 */

import { isParamControl, paramControlKey, type ParamControl } from '../../../../shared/methods/param-controls';

export type JsonSchema = { readonly [key: string]: unknown };

export type FieldKind = 'number' | 'integer' | 'boolean' | 'enum' | 'string' | 'json';

/** A primitive JSON value an enum may list. */
export type EnumValue = string | number | boolean | null;

/** Numeric bounds, JSON Schema 2020-12 style (draft-4 boolean exclusives are converted). */
export interface Bounds {
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

interface FieldBase {
  /** The parameter's key in the params object. */
  name: string;
  /** A label derived from the name ("noiseStd" → "Noise std"), or the schema's title. */
  label: string;
  /** The help text (the schema's description). */
  description?: string;
  /** Listed in the schema's `required`: the engine has no default for it. */
  required: boolean;
  /** Whether the schema gives a default (the engine applies it when the field is omitted). */
  hasDefault: boolean;
  default?: unknown;
  /** The property's own schema (JSON fields are validated against it). */
  schema: JsonSchema;
  /** A control of the app's own the schema asks for (e.g. the layer picker), by its `x-lumen-control` flag. */
  control?: ParamControl;
}

export interface NumericField extends FieldBase, Bounds {
  kind: 'number' | 'integer';
  /** The `step` attribute of the input: 1 for integers, 'any' for numbers. */
  step: number | 'any';
}

export interface BooleanField extends FieldBase {
  kind: 'boolean';
}

export interface EnumField extends FieldBase {
  kind: 'enum';
  options: EnumValue[];
}

export interface StringField extends FieldBase {
  kind: 'string';
  /**
   * Named values that are offered (a union such as "zeros | black | … or a .npy file"): when
   * `patterns` is empty and `free` is false, the value must be one of them.
   */
  suggestions: string[];
  /** Regular expressions (JSON Schema `pattern`, ECMAScript syntax) a value may match instead. */
  patterns: string[];
  /** Any string is allowed (besides length limits). */
  free: boolean;
  minLength?: number;
  maxLength?: number;
}

export interface JsonField extends FieldBase {
  kind: 'json';
}

export type FieldDescriptor = NumericField | BooleanField | EnumField | StringField | JsonField;

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEnumValue(value: unknown): value is EnumValue {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** "noiseStd" → "Noise std", "min_pixel-diff" → "Min pixel diff"; acronyms ("HOG") keep their case. */
export function labelFromName(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter(Boolean)
    .map((w, i) => (i > 0 && !/^[A-Z]{2,}$/.test(w) && !/[A-Z].*[A-Z]/.test(w) ? w.toLowerCase() : w));
  const label = words.join(' ');
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/** Bounds this large are zod's stand-ins for "any safe integer", not limits a person chose. */
function realBound(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) < Number.MAX_SAFE_INTEGER ? value : undefined;
}

/** The numeric bounds a schema sets, with draft-4 `exclusiveMinimum: true` turned into 2020-12 form. */
export function boundsOf(schema: JsonSchema): Bounds {
  const bounds: Bounds = {};
  const minimum = realBound(schema['minimum']);
  const maximum = realBound(schema['maximum']);
  if (schema['exclusiveMinimum'] === true && minimum !== undefined) bounds.exclusiveMinimum = minimum;
  else if (minimum !== undefined) bounds.minimum = minimum;
  if (schema['exclusiveMaximum'] === true && maximum !== undefined) bounds.exclusiveMaximum = maximum;
  else if (maximum !== undefined) bounds.maximum = maximum;
  const exclusiveMinimum = realBound(schema['exclusiveMinimum']);
  const exclusiveMaximum = realBound(schema['exclusiveMaximum']);
  if (exclusiveMinimum !== undefined && (bounds.minimum === undefined || exclusiveMinimum >= bounds.minimum)) {
    delete bounds.minimum;
    bounds.exclusiveMinimum = exclusiveMinimum;
  }
  if (exclusiveMaximum !== undefined && (bounds.maximum === undefined || exclusiveMaximum <= bounds.maximum)) {
    delete bounds.maximum;
    bounds.exclusiveMaximum = exclusiveMaximum;
  }
  return bounds;
}

/** The schema's types, `type` being a string or a list. */
function typesOf(schema: JsonSchema): string[] {
  const type = schema['type'];
  if (typeof type === 'string') return [type];
  if (Array.isArray(type)) return type.filter((t): t is string => typeof t === 'string');
  return [];
}

/** The values an enum-like schema allows (`enum`, `const`), or undefined when it is not one. */
function enumValues(schema: JsonSchema): EnumValue[] | undefined {
  if (Array.isArray(schema['enum']) && schema['enum'].length > 0 && schema['enum'].every(isEnumValue)) return [...schema['enum']];
  if ('const' in schema && isEnumValue(schema['const'])) return [schema['const']];
  return undefined;
}

/** A union's branches (`anyOf` or `oneOf`), when every branch is a schema object. */
function branchesOf(schema: JsonSchema): JsonSchema[] | undefined {
  const branches = schema['anyOf'] ?? schema['oneOf'];
  if (!Array.isArray(branches) || branches.length === 0 || !branches.every(isObject)) return undefined;
  return branches;
}

const stringOnlyKeys = new Set(['type', 'enum', 'const', 'pattern', 'minLength', 'maxLength', 'description', 'title', 'default', 'format', paramControlKey]);

/** A schema that only constrains a string (no other types mixed in). */
function isStringSchema(schema: JsonSchema): boolean {
  const types = typesOf(schema);
  const values = enumValues(schema);
  const stringy = (types.length === 1 && types[0] === 'string') || (types.length === 0 && values !== undefined && values.every((v) => typeof v === 'string'));
  return stringy && Object.keys(schema).every((k) => stringOnlyKeys.has(k));
}

function field(name: string, property: JsonSchema, required: boolean): FieldDescriptor {
  const base: FieldBase = {
    name,
    label: typeof property['title'] === 'string' && property['title'] ? property['title'] : labelFromName(name),
    required,
    hasDefault: 'default' in property,
    schema: property,
  };
  if (typeof property['description'] === 'string' && property['description']) base.description = property['description'];
  if (base.hasDefault) base.default = property['default'];
  if (isParamControl(property[paramControlKey])) base.control = property[paramControlKey];

  const types = typesOf(property);
  const branches = branchesOf(property);
  const values = enumValues(property);

  if (!branches && types.length <= 1) {
    const type = types[0];
    if (values && (type === undefined || values.every((v) => typeof v === type || (type === 'integer' && Number.isInteger(v))))) {
      return { ...base, kind: 'enum', options: values };
    }
    if (type === 'boolean') return { ...base, kind: 'boolean' };
    if (type === 'integer' || type === 'number') {
      return { ...base, ...boundsOf(property), kind: type, step: type === 'integer' ? 1 : 'any' };
    }
    if (type === 'string' && isStringSchema(property)) return stringField(base, [property]);
    return { ...base, kind: 'json' };
  }

  if (branches) {
    // A union of literals is an enum; a union of string schemas (names or a file) is a string.
    const literals = branches.map((b) => (Object.keys(b).every((k) => k === 'enum' || k === 'const' || k === 'type' || k === 'description' || k === 'title') ? enumValues(b) : undefined));
    if (literals.every((l) => l !== undefined)) {
      const options = [...new Set(literals.flat())];
      return { ...base, kind: 'enum', options };
    }
    if (branches.every(isStringSchema)) return stringField(base, branches);
  }
  return { ...base, kind: 'json' };
}

function stringField(base: FieldBase, branches: JsonSchema[]): StringField {
  const suggestions: string[] = [];
  const patterns: string[] = [];
  let free = false;
  let minLength: number | undefined;
  let maxLength: number | undefined;
  for (const b of branches) {
    const values = enumValues(b);
    if (values) {
      for (const v of values) if (typeof v === 'string' && !suggestions.includes(v)) suggestions.push(v);
    } else if (typeof b['pattern'] === 'string') {
      patterns.push(b['pattern']);
    } else {
      free = true;
    }
    // Length limits only make sense for one free-text branch; a union keeps the loosest.
    if (branches.length === 1) {
      if (typeof b['minLength'] === 'number') minLength = b['minLength'];
      if (typeof b['maxLength'] === 'number') maxLength = b['maxLength'];
    }
  }
  const result: StringField = { ...base, kind: 'string', suggestions, patterns, free };
  if (minLength !== undefined) result.minLength = minLength;
  if (maxLength !== undefined) result.maxLength = maxLength;
  return result;
}

/** The fields of an object schema, in the order of its properties; [] when it has none. */
export function schemaFields(schema: JsonSchema | undefined | null): FieldDescriptor[] {
  if (!isObject(schema) || !isObject(schema['properties'])) return [];
  const required = new Set(Array.isArray(schema['required']) ? schema['required'].filter((r): r is string => typeof r === 'string') : []);
  return Object.entries(schema['properties']).map(([name, property]) => field(name, isObject(property) ? property : {}, required.has(name)));
}

/** The key an enum option is stored under in a <select> (strings as they are, others as JSON). */
export function enumKey(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A value as the form shows it (a default in a placeholder, a bound in a message). */
export function displayValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value) ?? String(value);
}
