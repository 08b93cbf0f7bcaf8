// Bundles the lumen CLI and the engine worker it forks into out/cli/ (dependencies stay external:
// onnxruntime-node and sharp are native and load from node_modules).
import { build } from 'esbuild';

await build({
  entryPoints: {
    lumen: 'src/main/cli/lumen.ts',
    'engine-worker': 'src/main/engine-host/engine-worker.ts',
  },
  outdir: 'out/cli',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
