import { execFileSync, spawnSync } from 'node:child_process';

/** dcmtk's dcmdump of a file: every element, private ones included, as text. */
export function dcmdump(path: string): string {
  return execFileSync('dcmdump', ['+L', '+uc', path], { encoding: 'utf8' });
}

/** dicom3tools' dciodvfy verdict on a file: its Error lines and Warning lines. */
export function dciodvfy(path: string): { errors: string[]; warnings: string[]; output: string } {
  const run = spawnSync('dciodvfy', [path], { encoding: 'utf8' });
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  const lines = output.split('\n');
  return { errors: lines.filter((l) => /^Error/.test(l)), warnings: lines.filter((l) => /^Warning/.test(l)), output };
}

/** Whether the DICOM tools the tests need are installed (CI installs them; .ci/run). */
export function haveDicomTools(): boolean {
  return ['dcmdump', 'dciodvfy'].every((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0);
}
