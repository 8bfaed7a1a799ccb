/**
 * The history options of the live tail and of replay (pure): which store,
 * which selection, and the usage errors.
 */
import { describe, expect, test } from '@jest/globals';
import { exitCodeFor } from '../../src/errors.js';
import { resolveTailHistory } from '../../src/config/tail-history.js';
import { checkReplaySource } from '../../src/config/replay-config.js';

const NOW = Date.parse('2026-12-05T12:00:00Z');
const ctx = { platform: 'linux' as const, homedir: '/home/op', nowMs: NOW };
const usage = (f: () => unknown, msg: RegExp) => {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(exitCodeFor(err)).toBe(2);
  expect((err as Error).message).toMatch(msg);
};

describe('resolveTailHistory', () => {
  test.each([
    [{}, {}, undefined],
    [{ db: '/x.sqlite' }, {}, undefined],
    [
      { since: '2h' },
      {},
      {
        db: { path: '/home/op/.local/share/htlc-tail/history.sqlite', source: 'default' },
        select: { sinceNs: BigInt(NOW - 7_200_000) * 1_000_000n },
        option: '--since',
      },
    ],
    [
      { since: '2026-12-05T10:00:00.5Z', db: '~/h.sqlite' },
      {},
      {
        db: { path: '/home/op/h.sqlite', source: '--db' },
        select: { sinceNs: 1_796_464_800_500_000_000n },
        option: '--since',
      },
    ],
    [
      { tail: '50' },
      { HTLC_TAIL_DB: '/var/h.sqlite' },
      { db: { path: '/var/h.sqlite', source: 'HTLC_TAIL_DB' }, select: { last: 50 }, option: '--tail' },
    ],
  ])('%j with env %j', (opts, env, want) => {
    expect(resolveTailHistory(opts, env, ctx)).toEqual(want);
  });

  test.each([
    [
      { since: '1h', tail: '5' },
      /^--since and --tail both choose the recorded events to print first; give one of them$/,
    ],
    [{ tail: '0' }, /^--tail "0" is not a positive whole number; e\.g\. --tail 100$/],
    [{ tail: '-3' }, /^--tail "-3" is not a positive whole number/],
    [{ since: 'yesterday' }, /^--since "yesterday" is not a time; give an RFC 3339 time/],
    [{ since: '2026-02-30' }, /^--since "2026-02-30" is not a calendar date/],
    [{ since: '1h', db: '' }, /^--db needs a file name/],
  ])('%j is a usage error', (opts, msg) => usage(() => resolveTailHistory(opts, {}, ctx), msg));
});

describe('checkReplaySource', () => {
  test.each([
    [{}, undefined],
    [{}, 'cap.raw'],
    [{ db: true as const }, undefined],
    [{ db: 'h.sqlite', node: 'n', since: '1h', until: '1m' }, undefined],
  ])('%j with FILE %j is fine', (opts, file) => expect(() => checkReplaySource(opts, file)).not.toThrow());

  test.each([
    [
      { db: true as const },
      'cap.raw',
      /^replay reads either a capture \("cap\.raw"\) or the history database \(--db\), not both; drop one$/,
    ],
    [{ since: '1h' }, 'cap.raw', /^--since selects recorded history: add --db/],
    [{ node: 'x' }, undefined, /^--node selects recorded history: add --db/],
    [{ until: '1h' }, undefined, /^--until selects recorded history: add --db/],
  ])('%j with FILE %j is a usage error', (opts, file, msg) => usage(() => checkReplaySource(opts, file), msg));
});
