import { z } from 'zod';
import { Bytes } from './binary';

/**
 * Writing an explanation back as DICOM, so that it opens in any PACS viewer: the heat map burned
 * into a Secondary Capture of the image and, on request, XRAI's top regions as a binary DICOM
 * Segmentation, both referencing the source. Everything written is de-identified (PS3.15 Basic
 * Application Level Confidentiality Profile) unless the user asks to keep the identifiers.
 */
export const ExportDicomParams = z
  .object({
    modelId: z.string().min(1).max(200),
    imageId: z.string().min(1).max(200),
    method: z.string().min(1).max(100),
    /** Class index; the model's top class when absent. */
    target: z.number().int().nonnegative().optional(),
    params: z.record(z.string(), z.unknown()).default({}),
    /** Also write XRAI's top regions as a DICOM Segmentation. */
    segmentation: z.boolean().default(false),
    /** The share of the image XRAI's top regions cover in the segmentation. */
    segmentationArea: z.number().gt(0).lte(1).default(0.1),
    colormap: z.string().max(40).default('inferno'),
    /** Keep the patient's and study's identifiers (off: the confidentiality profile is applied). */
    keepIdentifiers: z.boolean().default(false),
    /** A folder to write the files into; absent: the files come back as bytes (the page saves them). */
    outDir: z.string().min(1).max(4096).optional(),
    /** Replace files of the same name in outDir. */
    overwrite: z.boolean().default(false),
  })
  .strict();
export type ExportDicomParams = z.input<typeof ExportDicomParams>;

export const DicomObjectKind = z.enum(['secondary-capture', 'segmentation']);

export const ExportedDicomFile = z.object({
  kind: DicomObjectKind,
  /** File name (in outDir when one was given). */
  name: z.string(),
  path: z.string().optional(),
  /** The file's bytes when no outDir was given. */
  data: Bytes.optional(),
  bytes: z.number().int().nonnegative(),
  sopClassUid: z.string(),
  sopInstanceUid: z.string(),
  seriesInstanceUid: z.string(),
  studyInstanceUid: z.string(),
});

export const ExportedDicom = z.object({
  files: z.array(ExportedDicomFile),
  method: z.string(),
  target: z.number().int().nonnegative(),
  targetLabel: z.string(),
  /** Whether the confidentiality profile was applied. */
  deidentified: z.boolean(),
  /** Whether the source image was DICOM (otherwise the objects start a new study with no patient). */
  sourceIsDicom: z.boolean(),
  warnings: z.array(z.string()),
});
export type ExportedDicom = z.infer<typeof ExportedDicom>;
