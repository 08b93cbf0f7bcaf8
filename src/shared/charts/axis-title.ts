/**
 * One axis title for series whose own labels may differ (deletion's "fraction of pixels removed"
 * and insertion's "fraction of pixels inserted" share an x axis): the words they share, then each
 * one's own ending, joined with "or" — "fraction of pixels removed or inserted". Labels that are
 * the same (or absent) give that label; none gives "".
 */
export function axisTitle(labels: readonly (string | undefined)[]): string {
  const distinct = [...new Set(labels.filter((l): l is string => l !== undefined && l !== ''))];
  if (distinct.length <= 1) return distinct[0] ?? '';
  const words = distinct.map((l) => l.split(' '));
  let shared = 0;
  while (words.every((w) => shared < w.length - 1 && w[shared] === words[0]![shared])) shared++;
  const endings = words.map((w) => w.slice(shared).join(' '));
  return [...words[0]!.slice(0, shared), endings.join(' or ')].join(' ');
}
