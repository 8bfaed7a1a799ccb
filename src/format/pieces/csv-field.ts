/**
 * One RFC 4180 field: written as it is, or between double quotes (quotes
 * inside doubled) when it holds a comma, a double quote, CR or LF. The text is
 * kept exactly (a multi-line failure string stays one quoted cell).
 */
const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(s: string): string {
  return NEEDS_QUOTES.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

/** RFC 4180 ends every record with CRLF; the output writer adds the LF. */
export const CSV_RECORD_END = '\r';
