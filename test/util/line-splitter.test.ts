/**
 * The incremental line splitter under every chunking of its input: a chunk
 * boundary at each byte (inside a message, inside a multi-byte character,
 * between \r and \n), several messages per chunk, CRLF, no final newline,
 * lines over the limit, and stopping. Pure-ASCII text is decoded as latin1:
 * chunks and pieces of ASCII next to ones with multi-byte characters (cut
 * anywhere) or invalid UTF-8 give the same lines as decoding all as UTF-8.
 */
import { describe, expect, test } from '@jest/globals';
import { LineSplitter, PIECE_BYTES } from '../../src/util/line-splitter.js';

function split(
  chunks: readonly Uint8Array[],
  opts: ConstructorParameters<typeof LineSplitter>[1] = {},
  end = true,
): string[] {
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
    const lines = split([b('ok\n' + long.slice(0, 20)), b(long.slice(20)), b('\nafter\n')], {
      maxLineBytes: 16,
      onTooLong: (n) => void tooLong.push(n),
    });
    expect(lines).toEqual(['ok', 'after']);
    expect(tooLong).toEqual([50]);
  });

  test('a too-long last line without a newline is reported at the end', () => {
    const tooLong: number[] = [];
    expect(split([b('ok\n'), b('y'.repeat(40))], { maxLineBytes: 16, onTooLong: (n) => void tooLong.push(n) })).toEqual(
      ['ok'],
    );
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

  describe('ASCII decoded as latin1, everything else as UTF-8', () => {
    /** The lines of the whole input decoded as UTF-8 at once: what any chunking must give. */
    function reference(input: Buffer): string[] {
      const parts = input.toString('utf8').split('\n');
      if (parts[parts.length - 1] === '') parts.pop();
      return parts.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
    }

    function chunked(input: Buffer, cuts: readonly number[]): Buffer[] {
      const at = [0, ...[...cuts].sort((x, y) => x - y), input.length];
      return at.slice(1).map((end, i) => input.subarray(at[i], end));
    }

    const ascii = 'a'.repeat(30) + '\n';
    const multi = '⚡ Zürich 😀\n';

    test.each([
      [
        'é as two bytes is é, not Ã©',
        [b('caf'), Buffer.of(0xc3), Buffer.of(0xa9, 0x0a), b('plain\n')],
        ['café', 'plain'],
      ],
      [
        'an ASCII chunk, then one cut inside an emoji, then ASCII',
        [b('abc\nx'), b('😀').subarray(0, 2), Buffer.concat([b('😀').subarray(2), b('y\nzz\n')])],
        ['abc', 'x😀y', 'zz'],
      ],
      [
        'latin1 bytes that are not UTF-8 become U+FFFD',
        [Buffer.of(0x61, 0xe9, 0x62, 0x0a), b('ok\n')],
        ['a\ufffdb', 'ok'],
      ],
      [
        'a lone continuation byte and a cut-off sequence at the end of a line',
        [Buffer.of(0x80, 0x0a, 0xe2, 0x82, 0x0a), b('ok\n')],
        ['\ufffd', '\ufffd', 'ok'],
      ],
      [
        'a non-ASCII line carried over into an ASCII chunk',
        [b('ab'), b('ç'), b('d\nplain\nmore\n')],
        ['abçd', 'plain', 'more'],
      ],
      ['DEL and NUL are ASCII', [b('\u007f\u0000x\n')], ['\u007f\u0000x']],
    ] as const)('%s', (_name, chunks, want) => {
      expect(split(chunks)).toEqual(want);
      // and the same whole, and byte by byte
      const all = Buffer.concat(chunks);
      expect(split([all])).toEqual(want);
      expect(split([...all].map((x) => Uint8Array.of(x)))).toEqual(want);
    });

    test('one chunk of many pieces: a multi-byte character in one piece only, lines across piece ends', () => {
      const lines: string[] = [];
      for (let i = 0; lines.join('\n').length < 4 * PIECE_BYTES; i++) lines.push(`${i} ${'x'.repeat(i % 97)}`);
      lines[Math.floor(lines.length / 2)] += ' 😀 é';
      const input = b(lines.join('\n') + '\n');
      expect(split([input])).toEqual(lines);
    });

    test.each([
      ['exactly a piece', PIECE_BYTES - 1],
      ['a piece and one byte', PIECE_BYTES],
      ['three pieces', 3 * PIECE_BYTES + 5],
    ])('a line as long as %s, between short lines, ASCII and not', (_name, n) => {
      for (const tail of ['', 'é']) {
        const long = 'y'.repeat(n - Buffer.byteLength(tail)) + tail;
        const want = ['a', long, 'b', long, 'c'];
        const input = b(want.join('\n') + '\n');
        expect(split([input])).toEqual(want);
        expect(
          split([input.subarray(0, 3), input.subarray(3, PIECE_BYTES + 7), input.subarray(PIECE_BYTES + 7)]),
        ).toEqual(want);
      }
    });

    test('random mixes of ASCII, multi-byte and invalid bytes under random chunkings give the lines of one UTF-8 decoding', () => {
      let seed = 7;
      const rnd = (n: number) => {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        return (seed >>> 8) % n;
      };
      const pieces = [
        b(ascii),
        b(multi),
        b('short\r\n'),
        b('\n'),
        b('ascii without newline '),
        Buffer.of(0xf0, 0x9f),
        Buffer.of(0xff),
        b('z'.repeat(PIECE_BYTES / 2) + '\n'),
      ];
      for (let round = 0; round < 60; round++) {
        const parts: Buffer[] = [];
        const count = 1 + rnd(80);
        for (let i = 0; i < count; i++) parts.push(pieces[rnd(pieces.length)]!);
        const input = Buffer.concat(parts);
        const cuts = Array.from({ length: rnd(12) }, () => rnd(input.length + 1));
        expect(split(chunked(input, cuts))).toEqual(reference(input));
      }
    });
  });
});
