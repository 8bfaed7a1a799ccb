/**
 * A JSON string literal for untrusted text. Text with nothing to escape (no
 * quote, backslash, control character, surrogate, U+0085, U+2028 or U+2029)
 * is quoted as is; anything else goes through JSON.stringify (which also
 * escapes lone surrogates), and then the line and paragraph separators and
 * NEL are escaped too: JSON allows them raw, but line-oriented readers
 * (JavaScript's readline, Python's str.splitlines, many log shippers) split a
 * record there.
 */
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u0085\u2028\u2029\ud800-\udfff]/;
const SEPARATORS = /[\u0085\u2028\u2029]/g;

export function jsonString(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return '"' + text + '"';
  return JSON.stringify(text).replace(SEPARATORS, (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'));
}
