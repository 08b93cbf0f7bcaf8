import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../../../src/shared/contract/api';
import { metrics } from '../../../../src/main/engine/metrics/registry';
import { metricMeaning } from '../../../../src/shared/metrics/metric-meaning';
import { testApi } from '../../../helpers/engine';
import { reportProject } from '../../../helpers/report-project';
import { tempDir } from '../../../helpers/tiny-models';

process.env['LUMEN_HOME'] = tempDir('lumen-home-');

/** The report's visible text: no tags, attributes, styles or image data (a tooltip may hold an id's meaning, never the id). */
const visibleText = (html: string): string =>
  html
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<code>[\s\S]*?<\/code>/g, ' ') // the run's parameters, quoted as the engine stored them
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');

describe('the report names every metric and audit figure, with its direction and meaning', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let html: string;

  beforeAll(async () => {
    ({ api, close } = testApi());
    const { project } = await reportProject();
    const modelId = (await api.call('models.open', {})).id;
    const runId = (await api.call('audit', { project, dataset: 'photos', modelId, method: 'gradient', metrics: [{ metric: 'deletion', params: { stepFraction: 0.1 } }] })).runId;
    const spec = { project, modelId, title: 'Names', images: [{ dataset: 'photos', path: 'espresso/a-coffee.png' }], methods: [{ method: 'gradient', params: {} }], metrics: ['deletion', 'insertion'], runs: [runId] };
    html = (await api.call('report.render', { spec, format: 'html' })).html!;
  }, 600_000);
  afterAll(async () => close?.());

  it('shows no bare internal id: the audit’s diagnostics and the metrics by their names', () => {
    const text = visibleText(html);
    const ids = [...metrics.map((m) => m.id), 'borderMass', 'cornerMass', 'truthMass', 'regionMass'];
    // Hyphenated and camelCase ids are never words of a sentence; one-word ids (deletion, axioms) only
    // appear capitalised as their label.
    for (const id of ids) expect(text, id).not.toMatch(new RegExp(`(^|[^\\w-])${id}([^\\w-]|$)`));
    expect(text).toContain('Share on the border (neither: a diagnostic)');
    expect(text).toContain('Deletion (lower is better)');
    expect(text).toContain('Insertion (higher is better)');
  });

  it('says in one line what each shown figure means, and why a diagnostic is there', () => {
    const text = visibleText(html);
    expect(text).toContain(`Deletion (lower is better): ${metricMeaning('deletion')!.meaning}`);
    expect(text).toContain(`Share in the corners (neither: a diagnostic): ${metricMeaning('cornerMass')!.meaning} ${metricMeaning('cornerMass')!.diagnostic}`);
  });
});
