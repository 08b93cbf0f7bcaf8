/**
 * "1 region", "3 regions", "1,024 images": a count with its noun in the right number. `many` is
 * for nouns whose plural is not the singular plus "s" ("1 series", "2 series"; "1 class", "2 classes").
 */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}
