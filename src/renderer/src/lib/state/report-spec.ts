import type { z } from 'zod';
import type { ReportSpec } from '../../../../shared/contract/report';
import type { Explanation } from './explanation';
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

/**
 * The report's specification from the builder's form. A method the user already ran in the
 * inspector keeps the parameters (and seed) of that run, so the report shows what they saw.
 */
export function reportSpec(project: string, modelId: string, form: ReportForm, images: ReportImage[], explanations: Explanation[], colormap: string): ReportSpecIn {
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
    colormap,
  };
}
