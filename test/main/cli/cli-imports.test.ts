import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The CLI is one of the engine's doors: it reaches the engine through the contract (`api.call` on
 * the local API), like the app and the browser bridge, so no command can import or merge in a way
 * the app cannot. This reads the CLI's own source and follows its imports.
 */

const repo = resolve(import.meta.dirname, '../../..');
const cli = join(repo, 'src/main/cli');

/** Where the engine is started: the local API for commands, and `lumen serve`, which hosts the browser door. */
const engineEntries: Record<string, string> = {
  'src/main/cli/local-api.ts': 'src/main/engine-host/local-engine.ts',
  'src/main/cli/commands/serve.ts': 'src/main/engine-host/forked-engine.ts',
};

/** Engine modules that are libraries, not doors: file formats and rendering, none of which opens a project (checked below). */
const libraries = new Set([
  'src/main/engine/io/npy.ts',
  'src/main/engine/io/json-text.ts',
  'src/main/engine/metrics/ground-truth-files.ts',
  'src/main/engine/image/image-errors.ts',
  'src/main/engine/fs-utils.ts',
  'src/main/engine/render/attribution-png.ts',
  'src/main/engine/report/export-target.ts',
]);

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The repo-relative files a source file imports (static, dynamic and re-exports), packages left out. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
  return specifiers
    .filter((s) => s.startsWith('.'))
    .map((s) => {
      const base = resolve(dirname(file), s);
      const found = [base, `${base}.ts`, join(base, 'index.ts')].find((p) => existsSync(p) && statSync(p).isFile());
      if (!found) throw new Error(`${relative(repo, file)} imports ${s}, which is not a file`);
      return relative(repo, found);
    });
}

const isEngine = (path: string): boolean => path.startsWith('src/main/engine/') || path.startsWith('src/main/engine-host/');

describe('the CLI reaches the engine only through the local API', () => {
  it('no CLI file imports the engine (its project store above all) except the engine entries and libraries', () => {
    const files = sourceFiles(cli);
    expect(files.length).toBeGreaterThan(20);
    const doors: string[] = [];
    for (const file of files) {
      const from = relative(repo, file);
      for (const target of importsOf(file).filter(isEngine)) {
        if (engineEntries[from] === target || libraries.has(target)) continue;
        doors.push(`${from} imports ${target}`);
      }
    }
    expect(doors).toEqual([]);
  });

  it('import and merge call the contract: datasets.import and projects.merge', () => {
    for (const [command, method] of [
      ['import', 'datasets.import'],
      ['merge', 'projects.merge'],
    ] as const) {
      const file = join(cli, 'commands', `${command}.ts`);
      expect(importsOf(file).filter(isEngine)).toEqual([]);
      expect(readFileSync(file, 'utf8')).toContain(`api.call('${method}'`);
    }
  });

  it('the libraries the CLI may use open no project, however deep their own imports go', () => {
    const seen = new Set<string>();
    const reached: string[] = [];
    const walk = (path: string): void => {
      if (seen.has(path)) return;
      seen.add(path);
      if (path.startsWith('src/main/engine/project/') || path.startsWith('src/main/engine-host/')) reached.push(path);
      for (const next of importsOf(join(repo, path))) walk(next);
    };
    for (const library of libraries) walk(library);
    expect(reached).toEqual([]);
  });
});
