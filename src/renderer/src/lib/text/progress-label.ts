/**
 * What a long request is doing, as a task's label: a whole phrase with its verb and no ellipsis
 * ("Computing Grad-CAM", "Building the report"). The progress line adds the one ellipsis, so a
 * label never gets a second verb or a second ellipsis ("Computing Building the report……").
 */
export const activities = {
  computing: (method: string) => `Computing ${method}`,
  measuring: (metrics: readonly string[], method: string) => `Measuring ${metrics.join(', ')} of ${method}`,
  buildingReport: 'Building the report',
  exporting: (format: 'html' | 'pdf') => `Exporting the ${format === 'pdf' ? 'PDF' : 'HTML'} report`,
} as const;

/** The progress line's text: the activity with exactly one trailing ellipsis. */
export function progressLabel(activity: string): string {
  return `${activity.trim().replace(/(?:…|\.{3})+$/u, '').trimEnd()}…`;
}
