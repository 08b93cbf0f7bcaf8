export { ms, percent } from '../../../shared/format';

/** ImageNet labels list synonyms ("tiger cat" / "tabby, tabby cat"); the first is the name. */
export function shortLabel(label: string): string {
  return label.split(',')[0]!.trim();
}
