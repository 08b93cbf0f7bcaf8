/**
 * What the form's controls hold, parsed into a params object and checked against the fields.
 * Controls hold text (number, text, select and JSON fields; '' means "not set") or a boolean
 * (checkboxes). A field left at its default is omitted, so the engine applies the default itself
 * and the provenance records it as such. Messages say what is wrong and what is allowed.
 */
import { formsText } from '../text/forms';
import { boundsOf, displayValue, enumKey, type Bounds, type FieldDescriptor, type JsonSchema, type StringField } from './schema-fields';

export type RawValue = string | boolean;
export type RawValues = Record<string, RawValue>;

export interface FieldsState {
  /** The parameters to send: set fields only, those equal to their default left out. */
  params: Record<string, unknown>;
  /** A message per invalid field, keyed by field name, the field's label first. */
  errors: Record<string, string>;
  valid: boolean;
}

export interface ValidateOptions {
  /**
   * Fields whose control reports input it cannot represent (a number input's `validity.badInput`:
   * the browser hides such text from `value`, which reads '').
   */
  badInput?: ReadonlySet<string> | readonly string[];
}

type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

const e = formsText.errors;

/** "between 2 and 4096", "greater than 0 and at most 1000", "at least 0", or '' without bounds. */
export function rangeText(bounds: Bounds): string {
  const r = formsText.range;
  const { minimum, maximum, exclusiveMinimum, exclusiveMaximum } = bounds;
  if (minimum !== undefined && maximum !== undefined) return r.between(displayValue(minimum), displayValue(maximum));
  const lower = exclusiveMinimum !== undefined ? r.greaterThan(displayValue(exclusiveMinimum)) : minimum !== undefined ? r.atLeast(displayValue(minimum)) : undefined;
  const upper = exclusiveMaximum !== undefined ? r.lessThan(displayValue(exclusiveMaximum)) : maximum !== undefined ? r.atMost(displayValue(maximum)) : undefined;
  if (lower && upper) return r.and(lower, upper);
  return lower ?? upper ?? '';
}

function inRange(n: number, b: Bounds): boolean {
  return (
    (b.minimum === undefined || n >= b.minimum) &&
    (b.maximum === undefined || n <= b.maximum) &&
    (b.exclusiveMinimum === undefined || n > b.exclusiveMinimum) &&
    (b.exclusiveMaximum === undefined || n < b.exclusiveMaximum)
  );
}

/** "an integer between 2 and 4096" or "a number greater than 0 and at most 1". */
function numberWhat(integer: boolean, bounds: Bounds): string {
  const range = rangeText(bounds);
  return integer ? e.anInteger(range) : e.aNumber(range);
}

/** Decimal notation as people type it: 12, -0.5, .5, 5., 1e-3 (no hex, no "Infinity", no commas). */
const decimal = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Compiles a JSON Schema pattern; a file-extension pattern (\.npy$) also matches in upper case, as the engine's do. */
function patternRegex(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, /^\\\.[a-z0-9]+\$$/i.test(pattern) ? 'iu' : 'u');
  } catch {
    return undefined;
  }
}

/** "a .npy file" for an extension pattern, "text matching /…/" otherwise. */
export function describePattern(pattern: string): string {
  const ext = /^\\\.([a-z0-9]+)\$$/i.exec(pattern);
  return ext ? e.fileExtension(ext[1]!.toLowerCase()) : e.pattern(pattern);
}

function checkString(field: StringField, text: string): string | undefined {
  if (field.minLength !== undefined && text.length < field.minLength) return e.minLength(field.minLength);
  if (field.maxLength !== undefined && text.length > field.maxLength) return e.maxLength(field.maxLength);
  if (field.free || field.suggestions.includes(text)) return undefined;
  if (field.patterns.some((p) => patternRegex(p)?.test(text) ?? true)) return undefined;
  if (field.suggestions.length === 0) return e.matches(field.patterns.map(describePattern));
  return e.oneOfOr(field.suggestions, field.patterns.map(describePattern));
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const typeNames: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  integer: (v) => typeof v === 'number' && Number.isInteger(v),
  boolean: (v) => typeof v === 'boolean',
  null: (v) => v === null,
  array: (v) => Array.isArray(v),
  object: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
};

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The first way `value` breaks `schema`, or undefined: the subset of JSON Schema that zod emits
 * for parameters (type, enum/const, numeric bounds, string length and pattern, items and their
 * count, properties, required and additionalProperties, anyOf/oneOf). `path` names the place.
 */
export function checkJson(value: unknown, schema: JsonSchema, path = ''): string | undefined {
  const at = (message: string): string => e.at(path, message);
  const union = schema['anyOf'] ?? schema['oneOf'];
  if (Array.isArray(union) && union.length > 0) {
    const failures = union.filter(isSchema).map((b) => checkJson(value, b, path));
    if (failures.some((f) => f === undefined)) return undefined;
    const types = union.filter(isSchema).map((b) => b['type']);
    if (types.every((t) => typeof t === 'string') && new Set(types).size === types.length) {
      const matching = union.filter(isSchema).findIndex((b) => typeNames[b['type'] as string]?.(value));
      if (matching >= 0) return failures[matching];
      return at(e.anyOfTypes((types as string[]).map((t) => e.jsonType(t).replace(/^must be /, ''))));
    }
    return failures.length === 1 ? failures[0] : at(e.noMatch);
  }
  if (Array.isArray(schema['enum'])) {
    if (!schema['enum'].some((v) => sameJson(v, value))) return at(e.oneOf(schema['enum'].map(displayValue)));
  }
  if ('const' in schema && !sameJson(schema['const'], value)) return at(e.equal(displayValue(schema['const'])));
  const type = schema['type'];
  const types = typeof type === 'string' ? [type] : Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : [];
  if (types.length > 0 && !types.some((t) => typeNames[t]?.(value) ?? true)) {
    if (types.length === 1 && (types[0] === 'number' || types[0] === 'integer')) return at(e.mustBe(numberWhat(types[0] === 'integer', boundsOf(schema))));
    return at(types.length === 1 ? e.jsonType(types[0]!) : e.anyOfTypes(types.map((t) => e.jsonType(t).replace(/^must be /, ''))));
  }
  if (typeof value === 'number') {
    const bounds = boundsOf(schema);
    if (!inRange(value, bounds)) return at(e.mustBe(numberWhat(types.includes('integer') && !types.includes('number'), bounds)));
  }
  if (typeof value === 'string') {
    if (typeof schema['minLength'] === 'number' && value.length < schema['minLength']) return at(e.minLength(schema['minLength']));
    if (typeof schema['maxLength'] === 'number' && value.length > schema['maxLength']) return at(e.maxLength(schema['maxLength']));
    if (typeof schema['pattern'] === 'string' && !(patternRegex(schema['pattern'])?.test(value) ?? true)) return at(e.matches([describePattern(schema['pattern'])]));
  }
  if (Array.isArray(value)) {
    if (typeof schema['minItems'] === 'number' && value.length < schema['minItems']) return at(e.minItems(schema['minItems']));
    if (typeof schema['maxItems'] === 'number' && value.length > schema['maxItems']) return at(e.maxItems(schema['maxItems']));
    const items = schema['items'];
    if (isSchema(items)) {
      for (let i = 0; i < value.length; i++) {
        const problem = checkJson(value[i], items, [path, e.item(i)].filter(Boolean).join(' '));
        if (problem) return problem;
      }
    }
  }
  if (typeNames['object']!(value)) {
    const object = value as Record<string, unknown>;
    const properties = isSchema(schema['properties']) ? schema['properties'] : {};
    if (Array.isArray(schema['required'])) {
      for (const key of schema['required']) if (typeof key === 'string' && !(key in object)) return at(e.missingKey(key));
    }
    for (const [key, v] of Object.entries(object)) {
      const sub = properties[key];
      const where = [path, e.key(key)].filter(Boolean).join(' ');
      if (isSchema(sub)) {
        const problem = checkJson(v, sub, where);
        if (problem) return problem;
      } else if (schema['additionalProperties'] === false) {
        return at(e.unknownKey(key));
      } else if (isSchema(schema['additionalProperties'])) {
        const problem = checkJson(v, schema['additionalProperties'], where);
        if (problem) return problem;
      }
    }
  }
  return undefined;
}

/** Where JSON.parse stopped, without the engine-specific prefix some runtimes add. */
function jsonReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^JSON\.parse: /, '');
}

/** Parses one field's control value; `value: undefined` means "leave it out". */
export function parseField(field: FieldDescriptor, raw: RawValue | undefined, badInput = false): Parsed {
  const fail = (message: string): Parsed => ({ ok: false, message: e.withLabel(field.label, message) });
  const unset = (): Parsed => (field.required && !field.hasDefault ? fail(e.required) : { ok: true, value: undefined });
  const atDefault = (value: unknown): Parsed => ({ ok: true, value: field.hasDefault && sameJson(value, field.default) ? undefined : value });

  if (field.kind === 'boolean') {
    const checked = raw === true || raw === 'true';
    if (!field.hasDefault && !field.required && !checked) return { ok: true, value: undefined };
    return atDefault(checked);
  }

  const text = typeof raw === 'string' ? raw.trim() : '';
  switch (field.kind) {
    case 'number':
    case 'integer': {
      const what = numberWhat(field.kind === 'integer', field);
      if (badInput) return fail(e.notANumber(what));
      if (text === '') return unset();
      if (!decimal.test(text)) return fail(e.notANumber(what));
      const n = Number(text);
      if (!Number.isFinite(n)) return fail(e.notANumber(what));
      if ((field.kind === 'integer' && !Number.isSafeInteger(n)) || !inRange(n, field)) return fail(e.mustBe(what));
      return atDefault(n);
    }
    case 'enum': {
      if (text === '') return unset();
      const option = field.options.find((o) => enumKey(o) === text);
      if (option === undefined) return fail(e.oneOf(field.options.map(displayValue)));
      return atDefault(option);
    }
    case 'string': {
      if (text === '') return unset();
      const problem = checkString(field, text);
      return problem ? fail(problem) : atDefault(text);
    }
    case 'json': {
      if (text === '') return unset();
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        return fail(e.invalidJson(jsonReason(error)));
      }
      const problem = checkJson(value, field.schema);
      return problem ? fail(problem) : atDefault(value);
    }
  }
}

/** Parses and checks every field. */
export function validateFields(fields: readonly FieldDescriptor[], raw: RawValues, options: ValidateOptions = {}): FieldsState {
  const bad = new Set(options.badInput ?? []);
  const params: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const parsed = parseField(field, raw[field.name], bad.has(field.name));
    if (!parsed.ok) errors[field.name] = parsed.message;
    else if (parsed.value !== undefined) params[field.name] = parsed.value;
  }
  return { params, errors, valid: Object.keys(errors).length === 0 };
}

/** A params value as its control shows it. */
function rawOf(field: FieldDescriptor, value: unknown): RawValue {
  switch (field.kind) {
    case 'boolean':
      return value === true;
    case 'enum':
      return enumKey(value);
    case 'number':
    case 'integer':
    case 'string':
      return typeof value === 'string' ? value : displayValue(value);
    case 'json':
      return JSON.stringify(value) ?? '';
  }
}

/**
 * The controls' starting values: the given params where there are any (e.g. the params of an
 * earlier run), otherwise the defaults: text fields empty (the default is their placeholder),
 * checkboxes and selects at the default.
 */
export function initialRaw(fields: readonly FieldDescriptor[], params: Record<string, unknown> = {}): RawValues {
  const raw: RawValues = {};
  for (const field of fields) {
    if (field.name in params && params[field.name] !== undefined) raw[field.name] = rawOf(field, params[field.name]);
    else if (field.kind === 'boolean') raw[field.name] = field.default === true;
    else if (field.kind === 'enum' && field.hasDefault) raw[field.name] = enumKey(field.default);
    else raw[field.name] = '';
  }
  return raw;
}

/** The help line about what a field accepts ("Whole number, between 2 and 4096."), if any. */
export function allowedText(field: FieldDescriptor): string | undefined {
  const a = formsText.allowed;
  switch (field.kind) {
    case 'integer':
      return a.integer(rangeText(field));
    case 'number':
      return a.number(rangeText(field));
    case 'string':
      if (field.free || (field.suggestions.length === 0 && field.patterns.length === 0)) return undefined;
      return a.string([...field.suggestions, ...field.patterns.map(describePattern)]);
    case 'json':
      return a.json(jsonShape(field.schema));
    default:
      return undefined;
  }
}

/** A short description of what a JSON field holds ("a list of numbers greater than 0 and at most 100000, 1 to 16 items"). */
function jsonShape(schema: JsonSchema): string | undefined {
  const s = formsText.shapes;
  if (schema['type'] === 'array') {
    const items = isSchema(schema['items']) ? schema['items'] : {};
    const itemType = items['type'];
    const of = itemType === 'number' || itemType === 'integer' ? s.numbers(itemType === 'integer', rangeText(boundsOf(items))) : itemType === 'string' ? s.strings : undefined;
    const min = typeof schema['minItems'] === 'number' ? schema['minItems'] : undefined;
    const max = typeof schema['maxItems'] === 'number' ? schema['maxItems'] : undefined;
    return s.list(of, min, max);
  }
  if (schema['type'] === 'object') return s.object;
  return undefined;
}
