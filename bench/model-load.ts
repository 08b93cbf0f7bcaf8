/**
 * Model load: what Lumen does before onnxruntime creates a session (read, hash, decode, inline
 * functions, external data) against onnxruntime-node's own InferenceSession.create on the same file,
 * in the same run: time (median of `repeats`) and peak RSS, each measured in a fresh process.
 * ResNet-18, DenseNet-121 and ViT-B/16 with random weights, exported by bench/model_load_export.py
 * with Debian's torch and torchvision into scratch/bench-models (made once, not committed); says so
 * and stops when they are missing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { summarize } from './stats';

const python = '/usr/bin/python3';
const models = ['resnet18', 'densenet121', 'vit_b_16'] as const;

interface Sample {
  ms: number;
  peakMiB: number;
  startMiB: number;
  readMs?: number;
  hashMs?: number;
  decodeMs?: number;
}

function measure(mode: 'lumen' | 'ort' | 'both', path: string): Sample {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/model-load-child.ts', mode, path], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as Sample;
}

export async function benchModelLoad(repeats = 3): Promise<void> {
  const dir = join('scratch', 'bench-models');
  if (models.some((m) => !existsSync(join(dir, `${m}.onnx`)))) {
    const probe = spawnSync(python, ['-c', 'import torch, torchvision'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      console.log('model-load: skipped: needs /usr/bin/python3 with torch and torchvision (apt-get install python3-torch python3-torchvision)');
      return;
    }
    execFileSync(python, ['bench/model_load_export.py', dir, ...models], { stdio: 'inherit' });
  }
  console.log(`model load, CPU, median of ${repeats} fresh processes each (peak RSS: the process's maximum, minus its start):`);
  for (const name of models) {
    const path = join(dir, `${name}.onnx`);
    const runs = { lumen: [] as Sample[], ort: [] as Sample[], both: [] as Sample[] };
    // Interleaved, so that a slow moment of the machine does not favour one side.
    for (let i = 0; i < repeats; i++) for (const mode of ['lumen', 'ort', 'both'] as const) runs[mode].push(measure(mode, path));
    const ms = (mode: keyof typeof runs): number => summarize(runs[mode].map((s) => s.ms)).median;
    const peak = (mode: keyof typeof runs): number => summarize(runs[mode].map((s) => s.peakMiB - s.startMiB)).median;
    const size = statSync(path).size / 2 ** 20;
    console.log(`  ${name} (${size.toFixed(0)} MiB):`);
    const phase = (key: 'readMs' | 'hashMs' | 'decodeMs'): string => summarize(runs.lumen.map((s) => s[key] ?? 0)).median.toFixed(0);
    console.log(`    Lumen read+decode: ${ms('lumen').toFixed(0)} ms (read ${phase('readMs')}, sha256 ${phase('hashMs')}, decode+inline ${phase('decodeMs')}), +${peak('lumen').toFixed(0)} MiB peak`);
    console.log(`    onnxruntime InferenceSession.create: ${ms('ort').toFixed(0)} ms, +${peak('ort').toFixed(0)} MiB peak`);
    console.log(`    Lumen read+decode then a session from its bytes: ${ms('both').toFixed(0)} ms, +${peak('both').toFixed(0)} MiB peak`);
    console.log(`    ratio Lumen read+decode / onnxruntime: time ${(ms('lumen') / ms('ort')).toFixed(2)}, memory ${(peak('lumen') / peak('ort')).toFixed(2)}`);
  }
}
