import type { FindingAudit, MultiLabelAudit } from '../../../shared/contract/audit';
import type { z } from 'zod';
import { escapeHtml as e } from './html-escape';

const figure = (v: number | null): string => (v === null ? '—' : v.toFixed(3));
const withInterval = (x: FindingAudit['auroc']): string => (x.value === null ? '—' : `${figure(x.value)} <span class="muted">(${figure(x.ciLow)}–${figure(x.ciHigh)})</span>`);

/** A multi-label audit's per-finding table for the HTML/PDF report: what replaces accuracy per label. */
export function findingTableHtml(audit: z.infer<typeof MultiLabelAudit>): string {
  const rows = audit.findings
    .map(
      (f) =>
        `<tr><td>${e(f.finding)}</td><td class="num">${(100 * f.threshold).toFixed(1)}%</td><td class="num">${f.images} (${f.positives})</td>` +
        `<td class="num">${withInterval(f.auroc)}</td><td class="num">${withInterval(f.sensitivity)}</td><td class="num">${withInterval(f.specificity)}</td>` +
        `<td class="num">${f.falsePositives}</td><td class="num">${f.falseNegatives}</td></tr>`,
    )
    .join('');
  const parts = [
    '<h3>Findings (multi-label)</h3>',
    '<p class="muted">Over the images whose truth for the finding is known; sensitivity, specificity, false positives (FP) and false negatives (FN) at the card’s threshold; 95% stratified bootstrap intervals in brackets.</p>',
    `<table class="findings"><thead><tr><th>Finding</th><th class="num">Threshold</th><th class="num">Images (positive)</th><th class="num">AUROC</th><th class="num">Sensitivity</th><th class="num">Specificity</th><th class="num">FP</th><th class="num">FN</th></tr></thead><tbody>${rows}</tbody></table>`,
  ];
  if (audit.unmatchedLabels.length > 0) parts.push(`<p class="warn">Dataset labels that are no finding of the model were ignored: ${e(audit.unmatchedLabels.join(', '))}.</p>`);
  return parts.join('');
}
