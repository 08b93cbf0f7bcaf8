import { CsvError, parse } from 'csv-parse/sync';

export interface CsvRow {
  /** The 1-based line the row starts on. */
  line: number;
  fields: string[];
}

export interface CsvRowError {
  line: number;
  reason: string;
}

/** A file with more broken rows than this is reported up to here and then as one problem. */
const maxErrors = 100;

function reasonFor(error: CsvError, endsBelow: boolean): string {
  // A quote left open runs on into the next lines, whatever the reader finally trips over there.
  if (endsBelow && error.code.includes('QUOTE')) return 'a field opens a quote (") that is not closed on this line';
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a field opens a quote (") that is not closed on this line';
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'a quoted field has text after its closing quote (write "" for a quote inside a quoted field, or close the quote on this line)';
    case 'INVALID_OPENING_QUOTE':
      return 'a field has a quote (") inside it without being quoted (quote the whole field and write "" for the quote)';
    default:
      return `the row cannot be read as CSV (${error.code})`;
  }
}

function breaks(text: string): number {
  return (text.match(/\r\n|\r|\n/g) ?? []).length;
}

/**
 * Rows of a CSV file (RFC 4180, read by csv-parse), each with the line it starts on, and the rows
 * that could not be read, each with its line. A broken row (an unterminated quote swallows the rest
 * of the file in any CSV reader) costs only itself: reading starts again on the line after it, so
 * every other row is still read, or reported.
 */
export function parseCsv(text: string): { rows: CsvRow[]; errors: CsvRowError[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/(?<=\r\n|\n|\r(?!\n))/);
  const rows: CsvRow[] = [];
  const errors: CsvRowError[] = [];
  let from = 0; // index into `lines` where this pass starts
  while (from < lines.length) {
    const offset = from;
    const passText = lines.slice(from).join('');
    // Lines are counted here, the same way as `lines` is split: csv-parse counts a CR LF inside a
    // quoted field twice.
    let cursor = 0;
    let consumed = 0; // line breaks of passText before the cursor
    try {
      parse(passText, {
        info: true,
        raw: true,
        relax_column_count: true,
        skip_empty_lines: true,
        // With `raw`, csv-parse hands each record over wrapped (its types do not say so).
        on_record: (wrapped: unknown) => {
          const { record, raw } = wrapped as { record: string[]; raw: string };
          const at = passText.indexOf(raw, cursor);
          const start = at >= 0 ? at : cursor;
          consumed += breaks(passText.slice(cursor, start));
          rows.push({ line: offset + consumed + 1, fields: record });
          consumed += breaks(raw);
          cursor = start + raw.length;
          return null;
        },
      });
      break;
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      // The broken record starts on the first non-empty line after the last good one.
      let start = offset + consumed;
      while (start < lines.length && /^(\r\n|\r|\n)?$/.test(lines[start]!)) start++;
      if (errors.length === maxErrors) {
        errors.push({ line: start + 1, reason: `reading stopped here: more than ${maxErrors} rows are broken; fix the quoting of the file` });
        break;
      }
      errors.push({ line: start + 1, reason: reasonFor(error, offset + (error as CsvError & { lines: number }).lines > start + 1) });
      from = start + 1;
    }
  }
  return { rows, errors };
}
