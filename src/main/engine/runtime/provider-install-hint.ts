import type { ExecutionProviderName } from '../../../shared/contract/execution-provider';

/**
 * The command that adds onnxruntime's CUDA provider to Lumen's onnxruntime-node. Lumen's .npmrc
 * sets `onnxruntime-node-install=skip`, so installs work offline and the Linux package carries only
 * the CPU provider; onnxruntime-node's install script (script/install.js) downloads the CUDA 12
 * provider libraries when ONNXRUNTIME_NODE_INSTALL=cuda12 (the environment variable wins over the
 * .npmrc setting). Only linux/x64 has such a manifest in onnxruntime-node 1.30.
 */
export const cudaInstallCommand = 'ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node';

/** What a user must do to make an unavailable provider available, where Lumen knows it. */
export function providerInstallHint(name: ExecutionProviderName, platform: string = process.platform, arch: string = process.arch): string | undefined {
  if (name === 'cuda' && platform === 'linux' && arch === 'x64') {
    return `Lumen's onnxruntime carries only the CPU provider on Linux. With an NVIDIA GPU, its driver, CUDA 12 and cuDNN 9 installed, run \`${cudaInstallCommand}\` in Lumen's folder (it downloads the CUDA provider, so it needs the network), then restart Lumen.`;
  }
  return undefined;
}
