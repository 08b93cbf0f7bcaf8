import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { probeExecutionProviders } from '../../../../src/main/engine/runtime/execution-providers';
import { cudaInstallCommand } from '../../../../src/main/engine/runtime/provider-install-hint';

describe('the CUDA install hint', () => {
  it('an unavailable CUDA provider on Linux x64 says how to install it', async (context) => {
    if (process.platform !== 'linux' || process.arch !== 'x64') return context.skip(`the CUDA install hint is for Linux x64; this is ${process.platform} ${process.arch}`);
    const cuda = (await probeExecutionProviders()).find((p) => p.name === 'cuda')!;
    if (cuda.available) expect(cuda.hint).toBeUndefined();
    else expect(cuda.hint).toContain(cudaInstallCommand);
  });

  it("the command names what the installed onnxruntime-node's install script reads: the variable, and a linux/x64 cuda12 manifest", () => {
    const script = (file: string): string => readFileSync(join('node_modules', 'onnxruntime-node', 'script', file), 'utf8');
    // The variable is read before npm's config, so it wins over the .npmrc's skip.
    expect(script('install-utils.js')).toMatch(/let flag = process\.env\.ONNXRUNTIME_NODE_INSTALL \|\| process\.env\.npm_config_onnxruntime_node_install/);
    expect(script('install-metadata.js')).toContain("'linux/x64:cuda12'");
    expect(readFileSync('.npmrc', 'utf8')).toMatch(/^onnxruntime-node-install=skip$/m);
    expect(cudaInstallCommand).toMatch(/^ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node$/);
  });
});
