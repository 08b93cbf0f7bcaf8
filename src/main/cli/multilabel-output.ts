import type { FindingAudit, MultiLabelAudit } from '../../shared/contract/audit';
import type { Finding } from '../../shared/contract/classification';
import type { z } from 'zod';
import { percent, table, truncate } from './format';

/** A multi-label classification as the terminal shows it: every finding, most probable first, with its threshold decision. */
export function findingsTable(findings: Finding[]): string {
  const present = findings.filter((f) => f.present).length;
  const rows = findings.map((f) => [`  ${truncate(f.label, 40)}`, percent(f.probability).padStart(6), `${f.present ? '≥' : '<'} ${percent(f.threshold)}`, f.present ? 'PRESENT' : 'absent', `#${f.index}`]);
  return [`${present} of ${findings.length} findings present at the card's thresholds:`, table(rows)].join('\n');
}

const estimate = (e: FindingAudit['auroc'], digits = 3): string =>
  e.value === null ? '–' : `${e.value.toFixed(digits)} [${e.ciLow?.toFixed(digits) ?? '–'}, ${e.ciHigh?.toFixed(digits) ?? '–'}]`;

/** A multi-label audit's per-finding table (AUROC, sensitivity and specificity with 95% bootstrap intervals). */
export function findingAuditTable(audit: z.infer<typeof MultiLabelAudit>): string {
  const header = ['  finding', 'threshold', 'n (pos)', 'AUROC [95% CI]', 'sensitivity [95% CI]', 'specificity [95% CI]', 'FP', 'FN'];
  const rows = audit.findings.map((f) => [`  ${truncate(f.finding, 32)}`, percent(f.threshold), `${f.images} (${f.positives})`, estimate(f.auroc), estimate(f.sensitivity), estimate(f.specificity), String(f.falsePositives), String(f.falseNegatives)]);
  const lines = ['  per finding (truth known; FP/FN at threshold):', table([header, ...rows])];
  if (audit.unmatchedLabels.length > 0) lines.push(`  note: dataset labels that are no finding of the model (ignored): ${audit.unmatchedLabels.slice(0, 10).join(', ')}${audit.unmatchedLabels.length > 10 ? ', …' : ''}`);
  return lines.join('\n');
}
