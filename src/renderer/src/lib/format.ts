export function percent(p: number): string {
  return `${(p * 100).toFixed(1)}%`;
}

export function ms(value: number): string {
  return value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`;
}

/** ImageNet labels list synonyms ("tiger cat" / "tabby, tabby cat"); the first is the name. */
export function shortLabel(label: string): string {
  return label.split(',')[0]!.trim();
}
