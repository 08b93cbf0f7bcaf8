#!/usr/bin/env node
// The `lumen` command. It runs the bundled CLI (out/cli/lumen.mjs), built by `npm run build`.
import { existsSync } from 'node:fs';

const entry = new URL('../out/cli/lumen.mjs', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('error: the lumen CLI is not built.\n  Run `npm run build` (or `npm run lumen -- <args>`, which builds it).\n');
  process.exit(1);
}
await import(entry.href);
