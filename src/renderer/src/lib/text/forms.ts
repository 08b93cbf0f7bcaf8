import { plural } from '../../../../shared/plural';

/** The strings of the parameter forms generated from method and metric schemas. */

function list(values: readonly string[]): string {
  if (values.length <= 1) return values.join('');
  return `${values.slice(0, -1).join(', ')} or ${values.at(-1)!}`;
}

export const formsText = {
  noParams: 'No parameters to set.',
  reset: 'Reset to defaults',
  resetHelp: 'Clear every field back to the value the engine uses by default.',
  unset: '(not set)',
  defaultOption: (option: string) => `${option} (default)`,
  defaultPlaceholder: (value: string) => `default: ${value}`,
  noDefault: 'optional',
  invalidSummary: (count: number) => (count === 1 ? 'One field needs attention.' : `${count} fields need attention.`),
  /** Help line under a field: what is allowed. */
  allowed: {
    integer: (range: string) => (range ? `Whole number, ${range}.` : 'Whole number.'),
    number: (range: string) => (range ? `Number, ${range}.` : 'Number.'),
    string: (options: readonly string[]) => `Allowed: ${list(options)}.`,
    json: (shape: string | undefined) => (shape ? `JSON: ${shape}.` : 'A JSON value.'),
  },
  /** What a JSON field holds. */
  shapes: {
    numbers: (integer: boolean, range: string) => `${integer ? 'integers' : 'numbers'}${range ? ` ${range}` : ''}`,
    strings: 'strings',
    list: (of: string | undefined, min: number | undefined, max: number | undefined) => {
      const items = of ? `a list of ${of}` : 'a list';
      if (min !== undefined && max !== undefined) return `${items}, ${min} to ${plural(max, 'item')}`;
      if (min !== undefined) return `${items}, at least ${min} item${min === 1 ? '' : 's'}`;
      if (max !== undefined) return `${items}, at most ${plural(max, 'item')}`;
      return items;
    },
    object: 'an object of named values, e.g. {"steps": 32}',
  },
  /** Ranges, as in "an integer between 2 and 4096". */
  range: {
    between: (min: string, max: string) => `between ${min} and ${max}`,
    greaterThan: (min: string) => `greater than ${min}`,
    atLeast: (min: string) => `at least ${min}`,
    lessThan: (max: string) => `less than ${max}`,
    atMost: (max: string) => `at most ${max}`,
    and: (a: string, b: string) => `${a} and ${b}`,
  },
  /** Error messages: the field's label comes first ("Steps must be …"). */
  errors: {
    withLabel: (label: string, message: string) => `${label} ${message}.`,
    required: 'is required',
    notANumber: (what: string) => `is not a number: it must be ${what}`,
    mustBe: (what: string) => `must be ${what}`,
    anInteger: (range: string) => (range ? `an integer ${range}` : 'an integer'),
    aNumber: (range: string) => (range ? `a number ${range}` : 'a number'),
    oneOf: (options: readonly string[]) => `must be one of ${list(options)}`,
    oneOfOr: (options: readonly string[], others: readonly string[]) => `must be one of ${list([...options, ...others])}`,
    pattern: (pattern: string) => `text matching /${pattern}/`,
    fileExtension: (ext: string) => `a .${ext} file`,
    matches: (descriptions: readonly string[]) => `must be ${list(descriptions)}`,
    minLength: (n: number) => (n === 1 ? 'must not be empty' : `must have at least ${n} characters`),
    maxLength: (n: number) => `must have at most ${n} characters`,
    invalidJson: (reason: string) => `is not valid JSON: ${reason}`,
    /** Errors inside a JSON value: where, then what. */
    at: (path: string, message: string) => (path ? `${path} ${message}` : message),
    item: (index: number) => `item ${index + 1}`,
    key: (key: string) => `"${key}"`,
    jsonType: (type: string) => `must be ${type === 'array' ? 'a list […]' : type === 'object' ? 'an object {…}' : type === 'integer' ? 'an integer' : type === 'null' ? 'null' : `a ${type}`}`,
    anyOfTypes: (types: readonly string[]) => `must be ${list(types)}`,
    minItems: (n: number) => (n === 1 ? 'must have at least one item' : `must have at least ${n} items`),
    maxItems: (n: number) => `must have at most ${plural(n, 'item')}`,
    unknownKey: (key: string) => `has an unknown key "${key}"`,
    missingKey: (key: string) => `needs the key "${key}"`,
    equal: (value: string) => `must be ${value}`,
    noMatch: 'does not match any allowed form',
  },
} as const;
