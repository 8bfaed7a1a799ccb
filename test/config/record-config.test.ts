/**
 * `record`/`--record` history options (config/record-config.ts): the database
 * location as SPEC "History" orders it, and `--retain DAYS`.
 */
import { describe, expect, test } from '@jest/globals';
import { parseRetainDays, resolveRecordSettings } from '../../src/config/record-config.js';
import { ExitCode, exitCodeFor } from '../../src/errors.js';

const ctx = { platform: 'linux' as const, homedir: '/home/op' };

describe('--retain DAYS', () => {
  test.each([
    ['90', 90],
    ['1', 1],
    ['0.5', 0.5],
    [' 7 ', 7],
  ])('%s → %s days', (v, days) => expect(parseRetainDays(v)).toBe(days));

  test.each(['0', '-1', 'forever', '', '7d', '1e3', '2000000', '0.0'])('%j is a usage error naming --retain', (v) => {
    let err: unknown;
    try {
      parseRetainDays(v);
    } catch (e) {
      err = e;
    }
    expect(exitCodeFor(err)).toBe(ExitCode.USAGE);
    expect((err as Error).message).toMatch(/^--retain ".*" is not a number of days; give a positive number/);
  });
});

describe('the database of record', () => {
  test.each([
    [{ db: '~/h.sqlite' }, {}, '/home/op/h.sqlite', '--db'],
    [{}, { HTLC_TAIL_DB: '/data/h.sqlite' }, '/data/h.sqlite', 'HTLC_TAIL_DB'],
    [{ db: '/x.sqlite' }, { HTLC_TAIL_DB: '/data/h.sqlite' }, '/x.sqlite', '--db'],
    [{}, { XDG_DATA_HOME: '/xdg' }, '/xdg/htlc-tail/history.sqlite', 'XDG_DATA_HOME'],
    [{}, {}, '/home/op/.local/share/htlc-tail/history.sqlite', 'default'],
  ])('%j with %j → %s', (opts, env, file, source) => {
    const s = resolveRecordSettings(opts, env, ctx);
    expect(s.db).toEqual({ path: file, source });
    expect(s.retainDays).toBeUndefined();
  });

  test('--retain is carried', () => {
    expect(resolveRecordSettings({ retain: '30' }, {}, ctx).retainDays).toBe(30);
  });
});
