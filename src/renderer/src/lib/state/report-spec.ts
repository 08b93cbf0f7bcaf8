import type { z } from 'zod';
import type { ReportSpec } from '../../../../shared/contract/report';
import type { Explanation } from './explanation';
import type { NormalisationMode } from './display.svelte';
import type { ReportImage } from './workspace.svelte';

export type ReportSpecIn = z.input<typeof ReportSpec>;

export interface ReportForm {
  title: string;
  summary: string;
  freeText: string;
  methods: string[];
  metrics: string[];
  runs: number[];
  includeAnnotations: boolean;
  includePaths: boolean;
  includeMetadata: boolean;
  anonymise: boolean;
  /** Patient name, ID, dates, institution and annotation authors' logins shown (off: "[withheld]"). */
  includeIdentifiers: boolean;
  xraiAreaPercent: number;
}

/** The inspector's display settings the report draws its figures with (see DisplaySettings). */
export interface ReportDisplay {
  /** The colormap in use (the diverging one for signed maps: DisplaySettings.activeColormap). */
  colormap: string;
  opacity: number;
  mode: NormalisationMode;
  percentile: number;
}

/**
 * The report's specification from the builder's form. A method the user already ran in the
 * inspector keeps the parameters (and seed) of that run, so the report shows what they saw; its
 * figures are drawn as the inspector draws them (colormap, opacity, normalisation, clipping).
 */
export function reportSpec(project: string, modelId: string, form: ReportForm, images: ReportImage[], explanations: Explanation[], display: ReportDisplay): ReportSpecIn {
  return {
    project,
    modelId,
    title: form.title.trim(),
    summary: form.summary,
    freeText: form.freeText,
    images: images.map((i) => ({ dataset: i.dataset, path: i.path, ...(i.target !== undefined ? { target: i.target } : {}) })),
    methods: form.methods.map((method) => ({ method, params: explanations.find((e) => e.method.id === method)?.params ?? {} })),
    metrics: form.metrics,
    runs: form.runs,
    includeAnnotations: form.includeAnnotations,
    includePaths: form.includePaths,
    includeMetadata: form.includeMetadata,
    anonymise: form.anonymise,
    includeIdentifiers: form.includeIdentifiers,
    xraiArea: Math.min(1, Math.max(0.01, form.xraiAreaPercent / 100)),
    colormap: display.colormap,
    opacity: Math.min(1, Math.max(0, Number.isFinite(display.opacity) ? display.opacity : 0.6)),
    normalisation: display.mode,
    // display-math.ts's rule for a percentile typed out of range: the inspector draws with the same.
    percentile: Number.isFinite(display.percentile) ? Math.min(100, Math.max(50, display.percentile)) : 99.5,
  };
}
