import { readFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { describeZodError } from '../../shared/errors';
import { writeFileAtomic } from './fs-utils';
import { parseJsonText } from './io/json-text';

/** A small JSON state file as read: its value, or absent, or damaged (with why). */
export type JsonState<T> = { state: 'ok'; value: T } | { state: 'missing' } | { state: 'damaged'; reason: string };

/**
 * Reads a JSON state file of Lumen's home folder and validates it. Never throws for the file's
 * content: a damaged file (unreadable, not JSON, wrong shape) is reported as such, for the caller
 * to fall back on.
 */
export async function readJsonState<S extends z.ZodType>(path: string, schema: S): Promise<JsonState<z.output<S>>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return unreadable(error);
  }
  return parseJsonState(text, schema);
}

/** The same, synchronously (for state needed while constructing the engine). */
export function readJsonStateSync<S extends z.ZodType>(path: string, schema: S): JsonState<z.output<S>> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return unreadable(error);
  }
  return parseJsonState(text, schema);
}

function unreadable(error: unknown): JsonState<never> {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
  return { state: 'damaged', reason: (error as Error).message };
}

function parseJsonState<S extends z.ZodType>(text: string, schema: S): JsonState<z.output<S>> {
  // Where the JSON breaks, never what the file holds: the reason reaches the page as a notice.
  const json = parseJsonText(text);
  if (!json.ok) return { state: 'damaged', reason: `it ${json.problem}` };
  const parsed = schema.safeParse(json.value);
  if (!parsed.success) return { state: 'damaged', reason: describeZodError(parsed.error) };
  return { state: 'ok', value: parsed.data };
}

/** Writes a JSON state file whole or not at all, creating its folder. */
export async function writeJsonState(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}
