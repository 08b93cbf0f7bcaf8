import { shown, type ImageRow, type ImportProblem } from './report';

function describe(row: ImageRow): string {
  const label = row.label ? `"${shown(row.label)}"` : 'no label';
  return row.split ? `${label} (${shown(row.split)})` : label;
}

/**
 * Rows that say different things about one path in one import (two labels, two splits): every
 * one of them is a problem that names the others, and none reaches the project, so neither
 * silently replaces the other. Repeats that agree are kept once.
 */
export function withoutConflicts<R extends ImageRow>(rows: R[], problems: ImportProblem[]): R[] {
  const byPath = new Map<string, R[]>();
  for (const row of rows) byPath.set(row.path, [...(byPath.get(row.path) ?? []), row]);
  const kept: R[] = [];
  for (const [path, group] of byPath) {
    const variants = new Set(group.map((r) => `${r.label ?? ''}\u0000${r.split ?? ''}`));
    if (variants.size === 1) {
      kept.push(group[0]!);
      continue;
    }
    for (const row of group) {
      const others = group.filter((r) => r !== row).map((r) => `${describe(r)} at ${r.where}`);
      problems.push({ where: row.where, reason: `conflicting rows for ${shown(path)}: ${describe(row)} here but ${others.join(', ')}; neither is imported, give the path once` });
    }
  }
  return kept;
}
