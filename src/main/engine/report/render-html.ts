import { createHash } from 'node:crypto';
import type { Annotation } from '../../../shared/contract/annotations';
import { formatValue as formatFigure } from '../../../shared/charts/ticks';
import { resolveColormap, type Colormap } from '../../../shared/heatmap/colormaps';
import { rangeForColormap, type DisplayRange } from '../../../shared/heatmap/normalise';
import { colorbarTicks } from '../../../shared/heatmap/ticks';
import { metricHeading, metricLabel, metricTooltip } from '../../../shared/metrics/metric-meaning';
import { metricMeaningsHtml } from './metric-meanings-html';
import { formatCompleteness } from '../../../shared/methods/completeness-display';
import { annotationSvg } from './annotation-svg';
import { curveSvg } from './curve-svg';
import { escapeHtml, paragraphs } from './html-escape';
import { findingTableHtml } from './finding-table-html';
import { IdentifierScrubber } from './identifier-scrubber';
import { ImageNames } from './image-names';
import { colorbarPng, displayImage, encodePng, overlayImage, reportMaxSide, type RgbImage } from './render-images';
import { cacheKey, type ReportCache } from './report-cache';
import { reportDisplay, type ReportImageData, type ReportModel, type ReportRunData } from './report-model';
import type { ImageSource } from '../image/image-source';

export interface RenderedHtml {
  html: string;
  /** sha256 of the HTML with the date left out: the same inputs give the same hash. */
  contentHash: string;
  warnings: string[];
}

/**
 * Stands for the date while the document is built. It holds markup characters, which escaped
 * text never does, so only the template itself can contain it.
 */
const datePlaceholder = '<!--lumen:report-date-->';

/** The one policy of the document: nothing but inline styles and data: images. */
export const reportCsp = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

/** Flagged images listed per audit (all of them are counted). */
const flaggedRows = 50;

const e = escapeHtml;
const pct = (v: number, digits = 1): string => `${(100 * v).toFixed(digits)}%`;
const num = (v: number): string => e(formatFigure(v));
const dataUri = (png: Uint8Array): string => `data:image/png;base64,${Buffer.from(png.buffer, png.byteOffset, png.byteLength).toString('base64')}`;

/**
 * The report as one self-contained HTML file: every image a data: URI, no scripts, fonts or links,
 * a CSP that forbids loading anything, print CSS for A4. Every text from the user, the project or
 * the model is escaped. File-system paths appear only with includePaths; image metadata only with
 * includeMetadata (figures are re-encoded PNGs, which carry none); with anonymise, image names that
 * look like patient identifiers read "Image N" everywhere.
 */
export async function renderHtml(model: ReportModel, date: Date): Promise<RenderedHtml> {
  const { spec } = model;
  // The images' DICOM identifiers and the annotations' authors (login names): withheld unless the user opted in.
  const identifiers = spec.includeIdentifiers
    ? new IdentifierScrubber([])
    : IdentifierScrubber.of([...model.images.map((i) => i.source), ...model.runs.flatMap((r) => r.flagged.map((f) => f.source))], model.images.flatMap((i) => i.annotations.map((a) => a.author)));
  const names = new ImageNames({ anonymise: spec.anonymise, includePaths: spec.includePaths, identifies: (text) => identifiers.identifies(text) });
  const colormap = resolveColormap(spec.colormap, 'inferno');
  const scrub = spec.includePaths ? (t: string) => t : scrubPaths;
  const bar = dataUri(await colorbarPng(colormap));

  const body: string[] = [];
  const { provenance } = model;
  body.push(`<header><h1>${e(spec.title)}</h1><p class="byline">Lumen ${e(provenance.lumenVersion)} · ${datePlaceholder} · model ${e(provenance.model.fileName)} · SHA-256 <code>${e(provenance.model.sha256)}</code></p></header>`);
  if (spec.summary.trim()) body.push(`<section class="text"><h2>Summary</h2>${paragraphs(spec.summary)}</section>`);
  if (spec.freeText.trim()) body.push(`<section class="text"><h2>Notes</h2>${paragraphs(spec.freeText)}</section>`);
  if (model.images.length > 0) body.push(overview(model, names));

  for (const [index, image] of model.images.entries()) body.push(await imageSection(model, image, index, names, colormap, bar, scrub));
  for (const run of model.runs) body.push(await auditSection(model, run, names, colormap, bar));
  // Named after the sections, so that "Image N" follows the order of the report.
  const warnings = model.warnings.map((w) => scrub(w.image ? w.text.split('{image}').join(`“${names.name(w.image.dataset, w.image.path)}”`) : w.text));
  if (colormap.id !== spec.colormap) warnings.push(`There is no colormap "${spec.colormap}"; the report uses ${colormap.label}.`);
  if (warnings.length > 0) body.push(`<section class="warnings"><h2>Remarks</h2><ul>${warnings.map((w) => `<li>${e(w)}</li>`).join('')}</ul></section>`);
  body.push(provenanceSection(model, names, colormap, scrub));

  const template = identifiers.scrubHtml([
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${reportCsp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="Lumen ${e(provenance.lumenVersion)}">`,
    `<title>${e(spec.title)}</title>`,
    `<style>${css}</style>`,
    '</head>',
    '<body>',
    ...body,
    `<footer>Generated by Lumen ${e(provenance.lumenVersion)} on ${datePlaceholder}. Attribution maps show which pixels the model's output depends on; they do not show that the model is right.</footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n'));
  const contentHash = createHash('sha256').update(template).digest('hex');
  return { html: template.split(datePlaceholder).join(e(date.toISOString())), contentHash, warnings };
}

function overview(model: ReportModel, names: ImageNames): string {
  const rows = model.images
    .map((image, i) => {
      const top = image.predictions[0]!;
      return `<tr><td class="num">${i + 1}</td><td>${e(names.name(image.dataset, image.path))}</td><td>${image.label === null ? '—' : e(names.label(image.label))}</td><td>${e(top.label)}</td><td class="num">${pct(top.probability)}</td><td>${e(image.targetLabel)}${image.targetGiven ? ' (chosen)' : ''}</td></tr>`;
    })
    .join('');
  const methods = model.provenance.methods.map((m) => e(m.label)).join(', ');
  const metrics = model.spec.metrics.map((m) => e(metricLabel(m))).join(', ');
  return `<section class="overview"><h2>Images</h2><p>Explained with ${methods || 'no method'}${metrics ? `; measured with ${metrics}` : ''}.</p><table><thead><tr><th class="num">#</th><th>Image</th><th>Dataset label</th><th>Top prediction</th><th class="num">Probability</th><th>Explained class</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

async function imageSection(model: ReportModel, image: ReportImageData, index: number, names: ImageNames, colormap: Colormap, bar: string, scrub: (t: string) => string): Promise<string> {
  const { spec, card, cache } = model;
  const name = names.name(image.dataset, image.path);
  const imageKey = { content: image.contentSha256, name: image.path, maxSide: reportMaxSide };
  const base = await scaledImage(cache, imageKey, image.source, reportMaxSide);
  const original = { width: image.source.width, height: image.source.height };
  const layer = spec.includeAnnotations ? annotationSvg(image.annotations, original) : '';
  const basePng = await cache.figures.memo(cacheKey({ ...imageKey, figure: 'original' }), () => encodePng(base));
  const figures: string[] = [figure(basePng, layer, `Original image${image.annotations.length > 0 && layer ? ' with annotations' : ''}`, name)];
  for (const m of image.methods) {
    const mask = m.xrai?.mask ?? null;
    const style = { colormap: colormap.id, range: m.range, opacity: spec.opacity, xrai: m.xrai?.threshold ?? null, outsideOpacity: reportDisplay.outsideOpacity };
    const placement = { input: card.input, resize: card.preprocess.resize };
    const png = await cache.figures.memo(cacheKey({ ...imageKey, attribution: m.key, style, placement }), async () =>
      encodePng(await overlayImage(base, original, m.map, placement, { colormap, range: m.range, opacity: spec.opacity, mask, outsideOpacity: reportDisplay.outsideOpacity })),
    );
    const xrai = m.xrai ? ` Top regions at ${pct(m.xrai.threshold, 0)} of the image: ${m.xrai.regionCount} ${m.xrai.regionCount === 1 ? 'region' : 'regions'} covering ${pct(m.xrai.fraction)}; the rest is dimmed.` : '';
    const completeness = formatCompleteness(m.figures, m.params);
    const completenessText = completeness ? ` Completeness error: ${completeness.text}${completeness.hint ? ` — ${completeness.hint}` : ''}.` : '';
    const caption = `${e(m.label)} <span class="muted">(${e(m.method)})</span> for “${e(image.targetLabel)}”.${e(xrai)}${completeness ? `<span class="${completeness.tooLarge ? 'warn' : 'muted'}">${e(completenessText)}</span>` : ''}`;
    figures.push(figure(png, layer, caption, `${name}: ${m.label}`, colorbar(colormap, m.range, bar, spec.percentile)));
  }

  const parts: string[] = [];
  const facts = [`${original.width} × ${original.height} px`, image.source.format.toUpperCase(), `${image.source.bitDepth}-bit`, image.source.channels === 1 ? 'grayscale' : 'colour', `dataset “${e(names.label(image.dataset))}”`];
  if (image.label !== null) facts.push(`dataset label “${e(names.label(image.label))}”`);
  if (spec.includePaths && !names.isAnonymised(image.dataset, image.path)) facts.push(`file <code>${e(image.file)}</code>`);
  const heading = names.isAnonymised(image.dataset, image.path) ? `Image ${index + 1} (name withheld)` : `Image ${index + 1}: ${name}`;
  parts.push(`<section class="image"><h2>${e(heading)}</h2><p class="facts">${facts.join(' · ')}</p>`);
  parts.push(`<div class="figures">${figures.join('')}</div>`);
  parts.push(predictionsTable(image));
  for (const m of image.methods.filter((x) => x.xrai)) parts.push(xraiTable(m.label, m.xrai!));
  parts.push(metricsBlock(image));
  if (spec.includeAnnotations && image.annotations.length > 0) parts.push(annotationList(image.annotations, spec.includeIdentifiers));
  if (image.metadata) parts.push(metadataTable(image));
  const notes = [...new Set(image.methods.flatMap((m) => m.notes.map((n) => `${m.label}: ${n}`)))];
  if (notes.length > 0) parts.push(`<ul class="notes">${notes.map((n) => `<li>${e(scrub(n))}</li>`).join('')}</ul>`);
  parts.push('</section>');
  return parts.join('\n');
}

function figure(png: Uint8Array, layer: string, captionHtml: string, alt: string, extra = ''): string {
  return `<figure class="fig"><div class="frame"><img src="${dataUri(png)}" alt="${e(alt)}">${layer}</div>${extra}<figcaption>${captionHtml}</figcaption></figure>`;
}

/** The colour scale of a figure: the LUT as a bar and the UI's tick labels (ends and middle). */
function colorbar(colormap: Colormap, range: DisplayRange, bar: string, percentile: number): string {
  const shown = rangeForColormap(range, colormap.kind);
  const ticks = colorbarTicks(shown)
    .map((t) => `<span class="t${t.position === 0 ? ' first' : t.position === 1 ? ' last' : ''}" style="left:${(100 * t.position).toFixed(1)}%">${e(t.label)}</span>`)
    .join('');
  const what = range.mode === 'absolute' ? '|attribution|' : range.mode === 'positive' ? 'attribution (negatives at 0)' : 'attribution';
  return `<div class="colorbar"><img src="${bar}" alt="${e(`${colormap.label} colour scale`)}"><div class="ticks">${ticks}</div><div class="scale">${e(what)} · ${e(colormap.label)} · scaled to the ${e(String(percentile))}th percentile</div></div>`;
}

function predictionsTable(image: ReportImageData): string {
  const logits = image.predictions.some((p) => p.logit !== null);
  const rows = image.predictions
    .map((p) => `<tr${p.index === image.target ? ' class="target"' : ''}><td class="num">${p.rank}</td><td>${e(p.label)}</td><td class="num">${p.index}</td><td class="num">${pct(p.probability, 2)}</td>${logits ? `<td class="num">${p.logit === null ? '' : num(p.logit)}</td>` : ''}</tr>`)
    .join('');
  const explained = image.predictions.some((p) => p.index === image.target) ? '' : `<p>The explained class is “${e(image.targetLabel)}” (${image.target}), chosen for this report.</p>`;
  return `<h3>Predictions</h3><table class="predictions"><thead><tr><th class="num">Rank</th><th>Class</th><th class="num">Index</th><th class="num">Probability</th>${logits ? '<th class="num">Logit</th>' : ''}</tr></thead><tbody>${rows}</tbody></table>${explained}`;
}

function xraiTable(label: string, xrai: NonNullable<ReportImageData['methods'][number]['xrai']>): string {
  const rows = xrai.regions.map((r) => `<tr><td class="num">${r.rank}</td><td class="num">${num(r.gain)}</td><td class="num">${pct(r.cumulativeArea - (xrai.regions.find((q) => q.rank === r.rank - 1)?.cumulativeArea ?? 0))}</td><td class="num">${pct(r.cumulativeArea)}</td></tr>`).join('');
  return `<h3>${e(label)}: top regions at ${pct(xrai.threshold, 0)} of the image</h3><table><thead><tr><th class="num">Rank</th><th class="num">Gain</th><th class="num">Area</th><th class="num">Cumulative area</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function metricsBlock(image: ReportImageData): string {
  const ids = [...new Set(image.methods.flatMap((m) => m.metrics.map((x) => x.metric)))];
  if (ids.length === 0) return '';
  const head = ids.map((id) => {
    return `<th class="num" title="${e(metricTooltip(id))}">${e(metricHeading(id))}</th>`;
  });
  const rows = image.methods.map((m) => `<tr><td>${e(m.label)}</td>${ids.map((id) => {
    const outcome = m.metrics.find((x) => x.metric === id);
    return `<td class="num">${outcome ? num(outcome.score) : '—'}</td>`;
  }).join('')}</tr>`);
  const charts: string[] = [];
  for (const id of ids) {
    const series = image.methods.flatMap((m) => {
      const outcome = m.metrics.find((x) => x.metric === id);
      return (outcome?.curves ?? []).map((c) => ({ name: `${m.label} (${formatFigure(outcome!.score)})`, x: c.x, y: c.y, xLabel: c.xLabel, yLabel: c.yLabel }));
    });
    if (series.length === 0) continue;
    const label = metricLabel(id);
    charts.push(curveSvg(series, { width: 330, height: 210, title: `${label} curve${series.length > 1 ? 's' : ''} (score in brackets)`, xLabel: series[0]!.xLabel, yLabel: series[0]!.yLabel }));
  }
  return `<h3>Metrics</h3><table class="metrics"><thead><tr><th>Method</th>${head.join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>${metricMeaningsHtml(ids)}${charts.length > 0 ? `<div class="charts">${charts.join('')}</div>` : ''}`;
}

/** The annotations, each with its time, and its author (a login name) only when identifiers are included. */
function annotationList(annotations: readonly Annotation[], withAuthors: boolean): string {
  const shapes: Record<Annotation['shape']['kind'], string> = { box: 'box', arrow: 'arrow', freehand: 'outline', text: 'note' };
  const items = annotations
    .map((a) => `<li><span class="swatch" style="background:${/^#[0-9a-fA-F]{6}$/.test(a.color) ? a.color : '#ffcc00'}"></span> <b>${e(shapes[a.shape.kind])}</b>${a.text ? `: ${e(a.text)}` : ''} <span class="muted">— ${withAuthors ? `${e(a.author || 'unknown author')}, ` : ''}${e(a.createdAt)}${a.updatedAt && a.updatedAt !== a.createdAt ? ` (edited ${e(a.updatedAt)})` : ''}</span></li>`)
    .join('');
  return `<h3>Annotations</h3><ol class="annotations">${items}</ol>`;
}

function metadataTable(image: ReportImageData): string {
  const m = image.metadata!;
  const rows: Array<[string, string]> = [
    ['Format', m.format.toUpperCase()],
    ['Size', `${m.width} × ${m.height} px, ${m.channels} channel(s), ${m.bitDepth}-bit`],
    ['Colour space', m.space ?? '—'],
    ['Density', m.density === null ? '—' : `${m.density} dpi`],
    ['EXIF orientation', m.orientation === null ? '—' : String(m.orientation)],
    ['File size', `${m.fileBytes} bytes`],
    ['File SHA-256', m.sha256],
    ['Embedded metadata', `EXIF ${m.exifBytes} bytes, XMP ${m.xmpBytes} bytes, ICC profile ${m.iccBytes} bytes (not copied into the figures)`],
  ];
  return `<h3>Image metadata</h3><table class="kv">${rows.map(([k, v]) => `<tr><th>${e(k)}</th><td>${e(v)}</td></tr>`).join('')}</table>`;
}

async function auditSection(model: ReportModel, run: ReportRunData, names: ImageNames, colormap: Colormap, bar: string): Promise<string> {
  const { summary } = run;
  const parts: string[] = [`<section class="audit"><h2>Audit run ${run.runId}: ${e(run.methodLabel)} on “${e(names.label(run.dataset))}”</h2>`];
  const facts = [`${run.images} images`, `method ${e(run.method)}`, `model ${e(run.model.fileName)} (SHA-256 <code>${e(run.model.sha256.slice(0, 16))}…</code>)`, `Lumen ${e(run.lumenVersion)}`, `started ${e(run.createdAt)}`];
  if (run.jobState) facts.push(`job ${e(run.jobState)}`);
  parts.push(`<p class="facts">${facts.join(' · ')}</p>`);
  if (run.model.sha256 !== model.provenance.model.sha256) parts.push(`<p class="warn">This audit ran on another model than the images above (SHA-256 ${e(run.model.sha256)}).</p>`);
  if (run.labelWarning) parts.push(`<p class="warn">${e(run.labelWarning)}</p>`);
  parts.push(`<p class="muted">Parameters: <code>${e(JSON.stringify(run.params))}</code>${run.metricsRequested.length > 0 ? ` · metrics: ${e(run.metricsRequested.map(metricLabel).join(', '))}` : ''}</p>`);
  if (summary.multiLabel) parts.push(findingTableHtml(summary.multiLabel));
  else if (summary.perClass.length > 0) {
    const rows = summary.perClass.map((c) => `<tr><td>${e(names.label(c.label))}</td><td class="num">${c.images}</td><td class="num">${pct(c.accuracy)}</td><td class="num">${pct(c.meanConfidence)}</td></tr>`).join('');
    parts.push(`<h3>Accuracy per class</h3><table><thead><tr><th>Dataset label</th><th class="num">Images</th><th class="num">Accuracy</th><th class="num">Mean confidence</th></tr></thead><tbody>${rows}</tbody></table>`);
  } else {
    parts.push('<p>The images of this dataset have no labels: accuracy is not measured.</p>');
  }
  if (summary.metrics.length > 0) {
    const rows = summary.metrics.map((m) => `<tr><td>${e(metricHeading(m.metric))}</td><td class="num">${m.n}</td><td class="num">${num(m.mean)}</td><td class="num">${num(m.ciLow)} – ${num(m.ciHigh)}</td></tr>`).join('');
    parts.push(`<h3>Figures per image (means)</h3><table><thead><tr><th>Figure</th><th class="num">n</th><th class="num">Mean</th><th class="num">95% CI (bootstrap)</th></tr></thead><tbody>${rows}</tbody></table>${metricMeaningsHtml(summary.metrics.map((m) => m.metric))}`);
  }
  parts.push(`<h3>Flagged images (${summary.flags.length})</h3>`);
  if (summary.flags.length === 0) parts.push('<p>No image was flagged.</p>');
  else {
    const rows = summary.flags
      .slice(0, flaggedRows)
      .map((f) => `<tr><td>${e(names.name(run.dataset, f.path))}</td><td>${f.label === null ? '—' : e(names.label(f.label))}</td><td>${e(f.predicted)}</td><td class="num">${pct(f.confidence)}</td><td>${f.reasons.map(e).join('; ')}</td></tr>`)
      .join('');
    parts.push(`<table class="flags"><thead><tr><th>Image</th><th>Label</th><th>Predicted</th><th class="num">Confidence</th><th>Reasons</th></tr></thead><tbody>${rows}</tbody></table>`);
    if (summary.flags.length > flaggedRows) parts.push(`<p class="muted">…and ${summary.flags.length - flaggedRows} more flagged images.</p>`);
  }
  if (run.flagged.length > 0) {
    const figures: string[] = [];
    const { spec, cache } = model;
    for (const f of run.flagged) {
      const style = { colormap: colormap.id, range: f.range, opacity: spec.opacity };
      const png = await cache.figures.memo(cacheKey({ flagged: f.key, maxSide: 360, style }), async () => {
        const base = await scaledImage(cache, { flagged: f.key, maxSide: 360 }, f.source, 360);
        const overlay: RgbImage = await overlayImage(base, { width: f.source.width, height: f.source.height }, f.map, { input: run.card.input, resize: run.card.preprocess.resize }, { colormap, range: f.range, opacity: spec.opacity });
        return encodePng(overlay);
      });
      const name = names.name(run.dataset, f.flag.path);
      figures.push(figure(png, '', `${e(name)}: ${f.flag.reasons.map(e).join('; ')}`, `${name}: stored map`, colorbar(colormap, f.range, bar, spec.percentile)));
    }
    parts.push(`<h3>Stored maps of flagged images</h3><div class="figures small">${figures.join('')}</div>`);
  }
  parts.push('</section>');
  return parts.join('\n');
}

function provenanceSection(model: ReportModel, names: ImageNames, colormap: Colormap, scrub: (t: string) => string): string {
  const p = model.provenance;
  const { spec } = model;
  const card = p.card;
  const resize = card.preprocess.resize;
  const rows: Array<[string, string]> = [
    ['Model file', e(p.model.fileName) + (p.model.builtIn ? ' (bundled with Lumen)' : '')],
    ['Model SHA-256', `<code>${e(p.model.sha256)}</code>`],
    ['Model card', e(`${card.name}: input ${card.input.name} ${card.input.layout} ${card.input.height}×${card.input.width} ${card.input.color}; resize ${resize.mode}${resize.mode === 'center-crop' ? ` ${resize.cropFraction}` : ''}, ${card.preprocess.interpolation}; scale ${card.preprocess.scale}, mean [${card.preprocess.mean.join(', ')}], std [${card.preprocess.std.join(', ')}]; output ${card.output.name} (${card.output.kind}, ${card.output.classes} classes)`)],
    ['Card sources', `<code>${e(JSON.stringify(card.sources))}</code>`],
    ...(card.notes.length > 0 ? ([['Card notes', card.notes.map((n) => e(scrub(n))).join('<br>')]] as Array<[string, string]>) : []),
    ['Methods', p.methods.map((m) => `${e(m.label)} (${e(m.method)}${m.stochastic ? ', stochastic: seeded' : ''}): <code>${e(JSON.stringify(m.params))}</code>`).join('<br>') || '—'],
    ['Metrics', p.metrics.map((m) => e(metricLabel(m))).join(', ') || '—'],
    ['Display', e(`${colormap.label}; ${scaleText[p.display.mode]} (channels summed) scaled to the ${p.display.percentile}th percentile per map; opacity ${p.display.opacity}; XRAI top regions at ${pct(p.display.xraiArea, 0)} of the image, the rest dimmed`)],
    ['Lumen', e(p.lumenVersion)],
    ['onnxruntime', e(p.onnxruntimeVersion)],
    ['Execution provider', e(`${p.executionProvider.used} (requested ${p.executionProvider.requested})${p.executionProvider.fallbackReason ? `: ${scrub(p.executionProvider.fallbackReason)}` : ''}`)],
    ['Project', spec.includePaths ? `<code>${e(p.project.folder)}</code>` : e(p.project.name)],
    ['Date', datePlaceholder],
    ['Options', e(`annotations ${p.options.includeAnnotations ? 'included' : 'left out'}; file-system paths ${p.options.includePaths ? 'included' : 'left out'}; image metadata ${p.options.includeMetadata ? 'included' : 'left out'}; anonymise ${p.options.anonymise ? 'on' : 'off'}`)],
  ];
  const privacy = [
    spec.includePaths ? 'File-system paths are included at the author’s request.' : 'File-system paths are left out: images are named by their file name.',
    spec.includeMetadata
      ? 'Image metadata is listed at the author’s request; the figures themselves are re-encoded PNGs without it.'
      : 'Image metadata is left out: every figure is a PNG re-encoded from the decoded pixels, which drops EXIF, XMP, ICC profiles and text chunks.',
    spec.anonymise
      ? `Anonymised: ${names.anonymisedCount === 1 ? '1 image name that looks like a patient identifier is' : `${names.anonymisedCount} image names that look like patient identifiers are`} shown as “Image N”.`
      : 'Image names are shown as they are (anonymise was off).',
    spec.includeIdentifiers
      ? 'Identifiers are included at the author’s request: values from the images’ DICOM headers and the annotations’ authors may appear.'
      : 'Identifying values from the images’ DICOM headers (patient, study, institution, staff) and the annotations’ authors are withheld: a text holding one reads “[withheld]”, an image named by one “Image N”.',
  ];
  return `<section class="provenance"><h2>Provenance</h2><table class="kv">${rows.map(([k, v]) => `<tr><th>${e(k)}</th><td>${v}</td></tr>`).join('')}</table><h3>Privacy</h3><ul>${privacy.map((t) => `<li>${e(t)}</li>`).join('')}</ul></section>`;
}

const scaleText: Record<ReportModel['provenance']['display']['mode'], string> = {
  absolute: '|attribution|',
  signed: 'attribution, signed around 0,',
  positive: 'positive attribution (negatives at 0)',
};

/** The image scaled for the report, decoded once per content and size. */
function scaledImage(cache: ReportCache, key: Record<string, unknown>, source: ImageSource, maxSide: number): Promise<RgbImage> {
  return cache.displayImages.memo(cacheKey(key), () => displayImage(source, maxSide));
}

/** Absolute paths in texts from the engine (notes, reasons) cut down to their last segment. */
export function scrubPaths(text: string): string {
  return text
    .replace(/(?:file:\/\/)?(?:[A-Za-z]:[\\/]|\\\\|\/)(?:[^\s"'<>|:*?\\/]+[\\/])+([^\s"'<>|:*?\\/]*)/g, (_m, last: string) => `…/${last}`)
    .replace(/(^|[\s(])\/([^\s/]+)(?=$|[\s).,;])/g, '$1$2');
}

const css = `
@page { size: A4; margin: 14mm 12mm 16mm; }
* { box-sizing: border-box; }
html { color-scheme: light; }
body { font: 10pt/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #111; background: #fff; margin: 0 auto; max-width: 190mm; padding: 8mm 4mm; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
@media print { body { padding: 0; max-width: none; } }
h1 { font-size: 19pt; margin: 0 0 2mm; line-height: 1.2; }
h2 { font-size: 14pt; margin: 6mm 0 2mm; padding-bottom: 1mm; border-bottom: 1px solid #bbb; break-after: avoid; }
h3 { font-size: 11pt; margin: 4mm 0 1.5mm; break-after: avoid; }
p { margin: 0 0 2mm; }
code { font: 8.5pt/1.3 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; word-break: break-all; }
.byline, .facts, .muted, footer { color: #555; }
.byline { font-size: 9pt; }
.warn { color: #8a1c1c; font-weight: 600; }
section.image, section.audit, section.provenance { break-before: page; }
figure { margin: 0; break-inside: avoid; }
.figures { display: grid; grid-template-columns: 1fr 1fr; gap: 5mm 4mm; margin: 3mm 0; }
.figures.small { grid-template-columns: 1fr 1fr 1fr; }
.frame { position: relative; line-height: 0; background: #eee; }
.frame img { display: block; width: 100%; height: auto; }
.frame svg.annotations { position: absolute; left: 0; top: 0; width: 100%; height: 100%; overflow: visible; }
figcaption { font-size: 8.5pt; margin-top: 1mm; }
.colorbar { margin-top: 1.2mm; font-size: 7.5pt; }
.colorbar img { display: block; width: 100%; height: 3mm; }
.ticks { position: relative; height: 1.3em; }
.ticks .t { position: absolute; top: 0; transform: translateX(-50%); white-space: nowrap; }
.ticks .t.first { transform: none; }
.ticks .t.last { transform: translateX(-100%); }
.scale { color: #555; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 3mm; font-size: 8.5pt; break-inside: auto; }
tr { break-inside: avoid; }
th, td { text-align: left; vertical-align: top; padding: 0.8mm 2mm; border-bottom: 1px solid #ddd; }
thead th { border-bottom: 1.5px solid #888; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.target td { font-weight: 600; }
table.kv th { width: 32mm; color: #444; font-weight: 600; }
.charts { display: flex; flex-wrap: wrap; gap: 4mm; }
.chart { width: 88mm; break-inside: avoid; }
.chart > svg { width: 100%; height: auto; }
.chart .key { white-space: nowrap; margin-right: 2mm; }
ol.annotations { padding-left: 6mm; font-size: 9pt; }
.swatch { display: inline-block; width: 2.6mm; height: 2.6mm; border: 1px solid #333; vertical-align: middle; }
ul.notes { font-size: 8pt; color: #555; }
ul.meanings { font-size: 8pt; color: #555; margin: 1mm 0 3mm; padding-left: 4mm; }
footer { margin-top: 8mm; font-size: 8pt; border-top: 1px solid #ccc; padding-top: 2mm; }
`;
