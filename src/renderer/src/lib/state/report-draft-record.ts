import { z } from 'zod';
import type { ReportForm } from './report-spec';
import type { ReportImage } from './workspace.svelte';

/**
 * The report draft as it is kept per project in the browser's localStorage, so that a reload (or
 * a restart of the app) brings back the title, the words, the ticks and the images. It is read
 * back through zod: a damaged or foreign record is ignored, never half-applied.
 */
const ReportFormRecord = z
  .object({
    title: z.string().max(300),
    summary: z.string().max(20_000),
    freeText: z.string().max(100_000),
    methods: z.array(z.string().min(1).max(100)).max(12),
    metrics: z.array(z.string().min(1).max(100)).max(16),
    runs: z.array(z.number().int().positive()).max(20),
    includeAnnotations: z.boolean(),
    includePaths: z.boolean(),
    includeMetadata: z.boolean(),
    anonymise: z.boolean(),
    includeIdentifiers: z.boolean(),
    xraiAreaPercent: z.number().min(1).max(100),
  })
  .strict();

const ReportImageRecord = z
  .object({
    dataset: z.string().min(1).max(200),
    path: z.string().min(1).max(4096),
    target: z.number().int().nonnegative().optional(),
  })
  .strict();

export const ReportDraftRecord = z
  .object({
    version: z.literal(1),
    form: ReportFormRecord,
    images: z.array(ReportImageRecord).max(200),
    /** Whether the user ticked methods themselves (otherwise the defaults are shown ticked). */
    methodsChosen: z.boolean(),
  })
  .strict();
export type ReportDraftRecord = z.infer<typeof ReportDraftRecord>;

/** What the draft holds, the unit of undo and of persistence. */
export interface ReportDraftState {
  form: ReportForm;
  images: ReportImage[];
  methodsChosen: boolean;
}

/** The part of the Web Storage API used here (a test passes a Map-backed one). */
export type DraftStorage = Pick<Storage, 'getItem' | 'setItem'>;

export const draftStorageKey = (project: string): string => `lumen.reportDraft:${project}`;

/** The project's stored draft, or null when there is none or it cannot be read (damaged, older format). */
export function loadDraft(storage: DraftStorage | null, project: string): ReportDraftState | null {
  let text: string | null;
  try {
    text = storage?.getItem(draftStorageKey(project)) ?? null;
  } catch {
    return null; // storage disabled (private mode, a policy): no draft, no error
  }
  if (text === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = ReportDraftRecord.safeParse(json);
  if (!parsed.success) return null;
  const { form, images, methodsChosen } = parsed.data;
  return { form, images: images.map((i) => ({ dataset: i.dataset, path: i.path, ...(i.target !== undefined ? { target: i.target } : {}) })), methodsChosen };
}

/** Stores the project's draft; a full or disabled storage only means the draft lives until the window closes. */
export function saveDraft(storage: DraftStorage | null, project: string, state: ReportDraftState): void {
  const record: ReportDraftRecord = { version: 1, form: state.form, images: state.images, methodsChosen: state.methodsChosen };
  try {
    storage?.setItem(draftStorageKey(project), JSON.stringify(record));
  } catch {
    // QuotaExceededError or storage disabled: nothing else to do, the draft is still in memory.
  }
}

/** Two cheap, complementary methods (a class map and a pixel gradient) for a report nothing was explained for yet. */
export const recommendedReportMethods = ['grad-cam', 'gradient'] as const;

/**
 * The methods ticked until the user ticks their own: those already computed for the report's
 * images (in the inspector), else the recommended few; only methods the engine offers.
 */
export function defaultReportMethods(available: readonly string[], computed: readonly string[]): string[] {
  const offered = (ids: readonly string[]): string[] => [...new Set(ids)].filter((id) => available.includes(id));
  const fromComputed = offered(computed);
  return fromComputed.length > 0 ? fromComputed.slice(0, 12) : offered(recommendedReportMethods);
}

/** Two draft states are the same edit-wise (used to record an undo step only when something changed). */
export function sameDraft(a: ReportDraftState, b: ReportDraftState): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
