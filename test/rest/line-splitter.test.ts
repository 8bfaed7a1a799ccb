/**
 * The incremental line splitter under every chunking of its input: a chunk
 * boundary at each byte (inside a message, inside a multi-byte character,
 * between \r and \n), several messages per chunk, CRLF, no final newline,
 * lines over the limit, and stopping.
 */
import { describe, expect, test } from '@jest/globals';
import { LineSplitter } from '../../src/rest/line-splitter.js';

function split(chunks: readonly Uint8Array[], opts: ConstructorParameters<typeof LineSplitter>[1] = {}, end = true): string[] {
  const lines: string[] = [];
  const s = new LineSplitter((l) => {
    lines.push(l);
  }, opts);
  for (const c of chunks) s.push(c);
  if (end) s.end();
  return lines;
}

const b = (s: string) => Buffer.from(s, 'utf8');

const MESSAGES = [
  '{"result":{"incoming_channel_id":"930524387182051330","event_type":"FORWARD","forward_event":{"info":null}}}',
  '{"result":{"link_fail_event":{"failure_string":"⚡ Zürich — 日本 😀 \\n line"}}}',
  '',
  '{"error":{"code":2,"message":"htlc event subscription terminated","details":[]}}',
];

describe('LineSplitter', () => {
  test.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('every single chunk boundary (%s) gives the same lines', (_name, eol) => {
    const input = b(MESSAGES.join(eol) + eol);
    for (let cut = 0; cut <= input.length; cut++) {
      expect(split([input.subarray(0, cut), input.subarray(cut)])).toEqual(MESSAGES);
    }
  });

  test('every pair of boundaries (three chunks) gives the same lines', () => {
    const input = b(MESSAGES.slice(0, 2).join('\n') + '\n');
    for (let i = 0; i <= input.length; i += 3) {
      for (let j = i; j <= input.length; j += 2) {
        expect(split([input.subarray(0, i), input.subarray(i, j), input.subarray(j)])).toEqual(MESSAGES.slice(0, 2));
      }
    }
  });

  test('one byte per chunk (multi-byte characters cut in every place)', () => {
    const input = b(MESSAGES.join('\n') + '\n');
    const chunks = [...input].map((x) => Uint8Array.of(x));
    expect(split(chunks)).toEqual(MESSAGES);
  });

  test('several messages in one chunk, and the rest of the last in the next', () => {
    const text = MESSAGES.join('\n') + '\n' + MESSAGES[0];
    expect(split([b(text), b('\n')])).toEqual([...MESSAGES, MESSAGES[0]]);
  });

  test.each([
    ['final line without a newline is delivered at the end', ['a\nb'], true, ['a', 'b']],
    ['... and not before', ['a\nb'], false, ['a']],
    ['empty input', [''], true, []],
    ['only newlines: blank lines', ['\n\n'], true, ['', '']],
    ['CR alone inside a line is kept', ['a\rb\n'], true, ['a\rb']],
    ['only one trailing CR is removed', ['a\r\r\n'], true, ['a\r']],
    ['CRLF split between chunks', ['a\r', '\nb\r\n'], true, ['a', 'b']],
  ] as const)('%s', (_name, chunks, end, want) => {
    expect(split(chunks.map(b), {}, end)).toEqual(want);
  });

  test('a chunk is copied: reusing its memory later changes nothing', () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => {
      lines.push(l);
    });
    const buf = b('hello wor');
    s.push(buf);
    buf.fill(0x78);
    s.push(b('ld\n'));
    expect(lines).toEqual(['hello world']);
  });

  test('a line over the limit is dropped and reported once, with its size; the next lines come through', () => {
    const tooLong: number[] = [];
    const long = 'x'.repeat(50);
    const lines = split([b('ok\n' + long.slice(0, 20)), b(long.slice(20)), b('\nafter\n')], { maxLineBytes: 16, onTooLong: (n) => void tooLong.push(n) });
    expect(lines).toEqual(['ok', 'after']);
    expect(tooLong).toEqual([50]);
  });

  test('a too-long last line without a newline is reported at the end', () => {
    const tooLong: number[] = [];
    expect(split([b('ok\n'), b('y'.repeat(40))], { maxLineBytes: 16, onTooLong: (n) => void tooLong.push(n) })).toEqual(['ok']);
    expect(tooLong).toEqual([40]);
  });

  test('memory held is bounded by the limit', () => {
    const s = new LineSplitter(() => undefined, { maxLineBytes: 1000 });
    for (let i = 0; i < 100; i++) s.push(b('z'.repeat(100)));
    expect(s.pendingBytes).toBeLessThanOrEqual(1000);
  });

  test('returning false stops delivery, in the middle of a chunk and for later chunks', () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => {
      lines.push(l);
      return l !== 'stop';
    });
    s.push(b('a\nstop\nb\n'));
    s.push(b('c\n'));
    s.end();
    expect(lines).toEqual(['a', 'stop']);
    expect(s.closed).toBe(true);
  });
});
