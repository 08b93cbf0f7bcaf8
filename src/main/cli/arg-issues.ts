import type { z } from 'zod';

/**
 * One zod issue about the command line, in the user's terms: the flag as typed (`--target`), what
 * it must be, and what was given. zod's own words ("Too small: expected number to be >=0") name
 * neither the flag nor the value.
 */
export function describeArgIssue(issue: z.core.$ZodIssue, given: Record<string, unknown>): string {
  const key = issue.path[0];
  if (typeof key !== 'string') return issue.message;
  const flag = `--${key}`;
  const raw = given[key];
  const shown = typeof raw === 'string' ? `"${raw}"` : String(raw);
  switch (issue.code) {
    case 'invalid_type':
      if (raw === undefined) return `${flag}: ${issue.message.startsWith('Invalid input') ? 'is required' : issue.message}`;
      if (issue.expected === 'number') return `${flag}: must be a number, not ${shown}`;
      if (issue.expected === 'int') return `${flag}: must be a whole number, not ${shown}`;
      return `${flag}: ${issue.message}`;
    case 'too_small':
      if (issue.origin === 'string') return `${flag}: must not be empty`;
      return `${flag}: must be ${issue.inclusive ? 'at least' : 'more than'} ${String(issue.minimum)}, not ${shown}`;
    case 'too_big':
      return `${flag}: must be ${issue.inclusive ? 'at most' : 'less than'} ${String(issue.maximum)}, not ${shown}`;
    case 'invalid_value':
      return `${flag}: must be one of ${issue.values.map(String).join(', ')}, not ${shown}`;
    case 'invalid_format':
      return `${flag}: ${issue.message} (got ${shown})`;
    default:
      // A rule across flags (custom): name the value too when it is a file or word (not a JSON
      // text) that the message does not already quote.
      return typeof raw === 'string' && raw.length <= 200 && !/^\s*[[{]/.test(raw) && !issue.message.includes(`"${raw}"`) ? `${flag}: ${issue.message} (got ${shown})` : `${flag}: ${issue.message}`;
  }
}
