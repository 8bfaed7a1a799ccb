/**
 * Makes untrusted text (lnd's failure_string, peer aliases, error texts) safe
 * to print on a terminal: every C0 control (U+0000–U+001F, including tab,
 * CR and LF), DEL and every C1 control (U+0080–U+009F) becomes a visible
 * `\xNN`; the Unicode bidi controls (U+061C, U+200E, U+200F, U+202A–U+202E,
 * U+2066–U+2069) and the line/paragraph separators (U+2028, U+2029) become
 * `\u{NNNN}`. So no ESC (or CSI) ever reaches the terminal, and no text can
 * reorder or hide what follows it. Backslashes are left as they are (the
 * result is for reading, not for parsing back).
 */

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

function escapeOne(ch: string): string {
  const c = ch.charCodeAt(0);
  if (c <= 0x9f) return '\\x' + (c < 16 ? '0' : '') + c.toString(16);
  return '\\u{' + c.toString(16) + '}';
}

export function sanitize(text: string): string {
  UNSAFE.lastIndex = 0;
  if (!UNSAFE.test(text)) return text;
  UNSAFE.lastIndex = 0;
  return text.replace(UNSAFE, escapeOne);
}
