/** Number formats shared by the CLI and the renderer, so both show the same figures. */

export function percent(p: number): string {
  return `${(p * 100).toFixed(1)}%`;
}

export function ms(value: number): string {
  return value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`;
}
