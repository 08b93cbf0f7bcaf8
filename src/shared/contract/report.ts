import { z } from 'zod';
import { Bytes } from './binary';

/**
 * An annotated report: what goes in it (images, methods, metrics, annotations, an audit), the
 * words around it, and what may leave the machine (paths and image metadata only on request;
 * names that look like patient identifiers anonymised on request).
 */
export const ReportMethod = z
  .object({
    method: z.string().min(1).max(100),
    params: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export const ReportImage = z
  .object({
    dataset: z.string().min(1).max(200),
    path: z.string().min(1).max(4096),
    /** The class explained; the model's top class when absent. */
    target: z.number().int().nonnegative().optional(),
  })
  .strict();

export const ReportSpec = z
  .object({
    project: z.string().min(1),
    /** The model the report is about (an open model's id). */
    modelId: z.string().min(1).max(200),
    title: z.string().min(1, 'give the report a title').max(300),
    summary: z.string().max(20_000).default(''),
    freeText: z.string().max(100_000).default(''),
    images: z.array(ReportImage).max(200).default([]),
    methods: z.array(ReportMethod).max(12).default([]),
    /** Metrics measured per image and method (e.g. deletion, insertion). */
    metrics: z.array(z.string().min(1).max(100)).max(16).default([]),
    /** XRAI: the share of the image its top regions cover in the report. */
    xraiArea: z.number().gt(0).lte(1).default(0.1),
    colormap: z.string().max(40).default('inferno'),
    /** The inspector's display settings, so a figure looks as it did on screen: alpha of the map over the image. */
    opacity: z.number().min(0).max(1).default(0.6),
    /** How values map to colours: |v|, signed around 0, or positive evidence only (shared/heatmap/normalise.ts). */
    normalisation: z.enum(['absolute', 'signed', 'positive']).default('absolute'),
    /** Clipping: the percentile of |value| at the top of the colour scale (100 = the maximum). */
    percentile: z.number().min(50).max(100).default(99.5),
    includeAnnotations: z.boolean().default(true),
    /** Audits (runs) to include: their summary and flagged images. */
    runs: z.array(z.number().int().positive()).max(20).default([]),
    /** Opt-ins: file-system paths and image metadata stay out of a report unless asked for. */
    includePaths: z.boolean().default(false),
    includeMetadata: z.boolean().default(false),
    /** Replace image names that look like patient identifiers with "Image 1", "Image 2"... */
    anonymise: z.boolean().default(false),
    /**
     * Opt-in: the identifying values of the images' DICOM headers (patient name, ID, birth date,
     * accession number, institution, staff...) and the annotations' authors (the login name) may
     * appear. Off: every text holding one says "[withheld]" and images named by one "Image N".
     */
    includeIdentifiers: z.boolean().default(false),
  })
  .strict()
  .refine((s) => s.images.length > 0 || s.runs.length > 0, { message: 'the report is empty: choose at least one image or one audit', path: ['images'] })
  .refine((s) => s.images.length === 0 || s.methods.length > 0, { message: 'choose at least one method for the images', path: ['methods'] });
export type ReportSpec = z.infer<typeof ReportSpec>;

export const RenderReportParams = z.object({ spec: ReportSpec, format: z.enum(['html', 'pdf']).default('html') }).strict();

export const RenderedReport = z.object({
  format: z.enum(['html', 'pdf']),
  /** The self-contained HTML (format html), or the PDF's bytes (format pdf). */
  html: z.string().optional(),
  pdf: Bytes.optional(),
  /** Identical for identical inputs apart from the date: a hash of the content without the date. */
  contentHash: z.string(),
  pages: z.number().int().positive().optional(),
  warnings: z.array(z.string()),
});
export type RenderedReport = z.infer<typeof RenderedReport>;

export const ExportReportParams = z
  .object({
    spec: ReportSpec,
    format: z.enum(['html', 'pdf']),
    /** The file to write: its extension must match the format; never a project's own files. */
    out: z.string().min(1).max(4096),
    /** Replace `out` if it exists (a save dialog that asked the user, or `lumen report --force`). */
    overwrite: z.boolean().default(false),
  })
  .strict();
export const ExportedReport = z.object({
  path: z.string(),
  bytes: z.number().int().nonnegative(),
  contentHash: z.string(),
  /** Pages of a PDF export. */
  pages: z.number().int().positive().optional(),
  warnings: z.array(z.string()),
});
