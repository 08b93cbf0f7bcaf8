import { looksLikePatientId } from './patient-id';

/**
 * How a report names its images, the same way everywhere (titles, tables, flags): the file name,
 * or the path inside the dataset when paths are included; with `anonymise`, a name that looks like
 * a patient identifier becomes "Image N", N the image's number in the report (the order in which
 * the report first names its images: the explained images 1, 2, ..., then those of the audits).
 */
export class ImageNames {
  private readonly aliases = new Map<string, string>();
  private readonly hidden = new Set<string>();
  private replaced = 0;
  private seen = 0;

  constructor(private readonly options: { anonymise: boolean; includePaths: boolean; identifies?: (text: string) => boolean }) {}

  name(dataset: string, path: string): string {
    const key = `${dataset}\u0000${path}`;
    const known = this.aliases.get(key);
    if (known !== undefined) return known;
    const shown = this.options.includePaths ? path : baseName(path);
    // With paths shown, a folder named after the patient gives them away as much as the file.
    const ordinal = ++this.seen;
    // A name holding a value from the image's own header (its patient's name or ID) is hidden with or without anonymise.
    const hide = (this.options.anonymise && (looksLikePatientId(shown) || shown.split('/').some((part) => looksLikePatientId(part)))) || (this.options.identifies?.(shown) ?? false);
    if (hide) this.replaced++;
    const alias = hide ? `Image ${ordinal}` : shown;
    this.aliases.set(key, alias);
    if (alias !== shown) this.hidden.add(key);
    return alias;
  }

  /** A dataset label or dataset name as shown: with anonymise, one that looks like a patient identifier is withheld (folders named after patients become labels). */
  label(text: string): string {
    return this.options.anonymise && looksLikePatientId(text) ? 'withheld' : text;
  }

  /** Whether this image's name was replaced. */
  isAnonymised(dataset: string, path: string): boolean {
    this.name(dataset, path);
    return this.hidden.has(`${dataset}\u0000${path}`);
  }

  /** How many names were replaced so far. */
  get anonymisedCount(): number {
    return this.replaced;
  }
}

/** The last segment of a dataset path (datasets store '/' separators; Windows ones are accepted too). */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
