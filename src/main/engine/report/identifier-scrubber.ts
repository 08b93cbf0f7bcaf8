import { basicProfile } from '../deidentify/confidentiality-profile';
import { readDataset, type DicomDataset } from '../dicom-export/dicom-dataset';
import { isDicom } from '../image/dicom/is-dicom';
import { escapeHtml } from './html-escape';

/** What stands in a report for a value that identifies someone. */
export const withheld = '[withheld]';

/** Value representations whose values are text a report could repeat (numbers such as a weight are left out: they would match figures). */
const textVrs = new Set(['AE', 'AS', 'CS', 'DA', 'DT', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UC', 'UI', 'UT']);

/**
 * The identifying values a report must not repeat, and the cleaning of its text. The values are
 * those the report's DICOM images carry in their headers wherever DICOM PS3.15's Basic Profile
 * would remove, blank or replace them (patient name, ID, birth date, accession number,
 * institution, staff, dates, UIDs...) and in private attributes, plus the login names of the
 * annotations' authors. A text that holds one of them (a file or folder named after the patient,
 * a note quoting the file name, a title typed with the patient's name) has it replaced.
 */
export class IdentifierScrubber {
  private readonly patterns: RegExp[];

  constructor(values: Iterable<string>) {
    const forms = new Set<string>();
    for (const value of values) for (const form of variants(value)) forms.add(form);
    // Longest first, so "DOE^JANE" goes whole before "DOE" does.
    const ordered = [...forms].sort((a, b) => b.length - a.length);
    this.patterns = ordered.flatMap((form) => [...new Set([form, escapeHtml(form)])].map((f) => new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(f)}(?![\\p{L}\\p{N}])`, 'giu')));
  }

  /** The identifying values of DICOM images (other images have none) and the given author names. */
  static of(images: ReadonlyArray<{ bytes: Uint8Array }>, authors: Iterable<string> = []): IdentifierScrubber {
    const values: string[] = [...authors];
    for (const image of images) if (isDicom(image.bytes)) collect(readDataset(image.bytes, { headerOnly: true }).dataset, values);
    return new IdentifierScrubber(values);
  }

  get empty(): boolean {
    return this.patterns.length === 0;
  }

  /** Whether a text holds an identifying value. */
  identifies(text: string): boolean {
    return this.patterns.some((p) => {
      p.lastIndex = 0;
      return p.test(text);
    });
  }

  /** The text with every identifying value replaced. */
  scrub(text: string): string {
    let out = text;
    for (const p of this.patterns) out = out.replace(p, withheld);
    return out;
  }

  /**
   * The same over a whole HTML document: text between tags and the alt/title/aria-label
   * attributes are cleaned; the markup, the style sheet and data: URIs (whose base64 may hold any
   * short string by chance) are left alone.
   */
  scrubHtml(html: string): string {
    if (this.empty) return html;
    return html.replace(/(<style[\s\S]*?<\/style>)|(<[^>]*>)|([^<]+)/g, (whole, style: string | undefined, tag: string | undefined, text: string | undefined) => {
      if (style) return style;
      if (tag) return tag.replace(/(\s(?:alt|title|aria-label)=")([^"]*)(")/g, (_m, a: string, value: string, b: string) => `${a}${this.scrub(value)}${b}`);
      return text ? this.scrub(text) : whole;
    });
  }
}

/** Collects the text values of the profile's non-structural attributes and of private attributes, at every depth. */
function collect(dataset: DicomDataset, into: string[]): void {
  for (const [tag, element] of Object.entries(dataset)) {
    const upper = tag.toUpperCase();
    if (upper.startsWith('0002')) continue;
    const values = element.Value ?? [];
    if (element.vr === 'SQ') {
      for (const item of values) if (item && typeof item === 'object') collect(item as DicomDataset, into);
      continue;
    }
    const isPrivate = Number.parseInt(upper.slice(0, 4), 16) % 2 === 1;
    if (!isPrivate && !basicProfile.has(upper)) continue;
    if (!textVrs.has(element.vr)) continue;
    for (const value of values) {
      if (value && typeof value === 'object' && 'Alphabetic' in value) into.push(String((value as { Alphabetic?: unknown }).Alphabetic ?? ''));
      else if (typeof value === 'string' || typeof value === 'number') into.push(String(value));
    }
  }
}

/**
 * The forms a value may take in a text: as written; a person name's components (DOE^JANE: "DOE",
 * "JANE", "JANE DOE", "DOE, JANE"); a date in the usual ways of writing it. Values too short to
 * identify anyone (a sex "F", a one-letter initial) are left out.
 */
function variants(raw: string): string[] {
  const value = raw.replace(/[\0]/g, '').trim();
  if (value.length < 3 || /^(YES|NO|NONE|UNKNOWN|ANONYMOUS)$/i.test(value)) return [];
  const out = [value];
  if (value.includes('^')) {
    const parts = value.split('^').map((p) => p.trim()).filter(Boolean);
    const [family, given] = parts;
    out.push(parts.join(' '));
    if (family && given) out.push(`${given} ${family}`, `${family}, ${given}`);
    for (const part of parts) if (part.length >= 2) out.push(part);
  }
  const date = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (date) {
    const [, y, m, d] = date;
    out.push(`${y}-${m}-${d}`, `${d}.${m}.${y}`, `${m}/${d}/${y}`, `${d}/${m}/${y}`, `${y}/${m}/${d}`);
  }
  return out.filter((form) => form.length >= 2);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
