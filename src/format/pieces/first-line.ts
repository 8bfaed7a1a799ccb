/**
 * The first line of a multi-line text (lnd's failure_string may embed a
 * multi-line dump of a channel update), trailing blanks trimmed, with " …"
 * appended when lines were dropped. Not sanitized: callers sanitize.
 */
export function firstLine(text: string): string {
  const m = /\r\n|\r|\n/.exec(text);
  if (m === null) return text.trimEnd();
  const rest = text.slice(m.index + m[0].length);
  const line = text.slice(0, m.index).trimEnd();
  return rest.trim() === '' ? line : line + ' …';
}
