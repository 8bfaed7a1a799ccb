import { describe, test, expect } from '@jest/globals';
import { sanitize } from '../../src/format/sanitize.js';

describe('sanitize', () => {
  test.each([
    ['plain ASCII', 'ACINQ', 'ACINQ'],
    ['non-ASCII kept', 'café ⚡ 节点 🐙', 'café ⚡ 节点 🐙'],
    ['ZWJ emoji kept', '👨‍👩‍👧', '👨‍👩‍👧'],
    ['ESC', 'a\x1b[31mred', 'a\\x1b[31mred'],
    ['NUL', 'a\x00b', 'a\\x00b'],
    ['newline and CR', 'a\nb\rc', 'a\\x0ab\\x0dc'],
    ['tab', 'a\tb', 'a\\x09b'],
    ['BEL', '\x07', '\\x07'],
    ['DEL', '\x7f', '\\x7f'],
    ['C1 CSI', '\u009b31m', '\\x9b31m'],
    ['C1 NEL', '\u0085', '\\x85'],
    ['RLO', 'abc\u202edef', 'abc\\u{202e}def'],
    ['LRI..PDI', '\u2066x\u2069', '\\u{2066}x\\u{2069}'],
    ['RLM', '\u200f', '\\u{200f}'],
    ['ALM', '\u061c', '\\u{61c}'],
    ['line separator', '\u2028', '\\u{2028}'],
    ['backslash kept', 'C:\\x1b', 'C:\\x1b'],
  ])('%s', (_name, input, want) => {
    const out = sanitize(input);
    expect(out).toBe(want);
    expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  });

  test('every code point below U+00A0 other than printable ASCII is escaped', () => {
    for (let c = 0; c < 0xa0; c++) {
      const ch = String.fromCharCode(c);
      const printable = c >= 0x20 && c < 0x7f;
      expect(sanitize(ch) === ch).toBe(printable);
    }
  });

  test('stateless across calls (global regex lastIndex)', () => {
    expect(sanitize('\x1b')).toBe('\\x1b');
    expect(sanitize('\x1b')).toBe('\\x1b');
    expect(sanitize('ok')).toBe('ok');
  });
});
