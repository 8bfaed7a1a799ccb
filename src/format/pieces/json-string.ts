/**
 * A JSON string literal for untrusted text. Text with nothing to escape (no
 * quote, backslash, control character or surrogate) is quoted as is; anything
 * else goes through JSON.stringify (which also escapes lone surrogates).
 */
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

export function jsonString(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : '"' + text + '"';
}
