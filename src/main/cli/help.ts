import type { Command } from './command';

export function commandHelp(command: Command): string {
  const width = Math.max(...Object.entries(command.options).map(([n, s]) => optionLabel(n, s.value, s.short).length), 10);
  const lines = [`${command.summary}`, '', `Usage: ${command.usage}`, '', 'Options:'];
  for (const [name, spec] of Object.entries(command.options)) {
    lines.push(`  ${optionLabel(name, spec.value, spec.short).padEnd(width)}  ${spec.description}`);
  }
  lines.push(`  ${'--help'.padEnd(width)}  Show this help`);
  if (command.examples.length > 0) lines.push('', 'Examples:', ...command.examples.map((e) => `  ${e}`));
  return lines.join('\n');
}

export function mainHelp(commands: Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'lumen: explain the predictions of image classifiers, offline.',
    '',
    'Usage: lumen <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `lumen <command> --help` for a command\'s options. Without --model the bundled',
    'MobileNetV2 (ImageNet) model is used.',
  ].join('\n');
}

function optionLabel(name: string, value: string | undefined, short: string | undefined): string {
  const long = value ? `--${name} ${value}` : `--${name}`;
  return short ? `-${short}, ${long}` : long;
}
