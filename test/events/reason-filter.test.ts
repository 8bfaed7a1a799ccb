/**
 * Issue 11, filters that say so: --reason (parsed in config/reason.ts, kept by
 * the filter), malformed short channel ids as usage errors, and the warning
 * for a channel alias that matches no alias of the node.
 */
import { describe, expect, test } from '@jest/globals';
import { parseReasons, REASON_NAMES } from '../../src/config/reason.js';
import { closestAliases, unmatchedAliasWarnings } from '../../src/events/alias-suggest.js';
import { compileFilterSpec, type FilterOptions } from '../../src/config/filter-options.js';
import { makeFilter } from '../../src/events/filter.js';
import type { OutputItem } from '../../src/events/model.js';
import { HtlcTailError } from '../../src/errors.js';
import { makeFinalHtlc, makeForward, makeForwardFail, makeGap, makeLinkFail, makeSettle } from '../builders.js';

const keeps = (reason: string[], item: OutputItem, o: FilterOptions = {}): boolean =>
  makeFilter(compileFilterSpec(o, parseReasons(reason)))(item);

function usage(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(HtlcTailError);
    expect((e as HtlcTailError).kind).toBe('usage');
    return (e as Error).message;
  }
  throw new Error('no usage error');
}

describe('--reason', () => {
  test.each<[string, string[], OutputItem, boolean]>([
    ['failure_detail name', ['insufficient_balance'], makeLinkFail({ wireFailure: 15, failureDetail: 6 }), true],
    ['case-insensitive', ['INSUFFICIENT_Balance'], makeLinkFail({ wireFailure: 15, failureDetail: 6 }), true],
    ['wire_failure name', ['temporary_channel_failure'], makeLinkFail({ wireFailure: 15, failureDetail: 6 }), true],
    ['another reason drops', ['fee_insufficient'], makeLinkFail({ wireFailure: 15, failureDetail: 6 }), false],
    [
      'a list: one of them',
      ['fee_insufficient,insufficient_balance'],
      makeLinkFail({ wireFailure: 15, failureDetail: 6 }),
      true,
    ],
    [
      'repeated: one of them',
      ['fee_insufficient', 'unknown_invoice'],
      makeLinkFail({ wireFailure: 1, failureDetail: 19 }),
      true,
    ],
    [
      'wire name 12 (FEE_INSUFFICIENT)',
      ['fee_insufficient'],
      makeLinkFail({ wireFailure: 12, failureDetail: 1 }),
      true,
    ],
    ['forward_fail carries no reason: dropped', ['insufficient_balance'], makeForwardFail(), false],
    ['final_htlc carries no reason: dropped', ['insufficient_balance'], makeFinalHtlc(false), false],
    ['settle: dropped (implies --failures)', ['insufficient_balance'], makeSettle(), false],
    ['forward: dropped', ['insufficient_balance'], makeForward(), false],
    ['gaps pass', ['insufficient_balance'], makeGap(), true],
  ])('%s', (_n, reason, item, kept) => {
    expect(keeps(reason, item)).toBe(kept);
  });

  test('AND with other filters', () => {
    const ev = makeLinkFail({ wireFailure: 15, failureDetail: 6 });
    expect(keeps(['insufficient_balance'], ev, { type: ['forward'] })).toBe(true);
    expect(keeps(['insufficient_balance'], ev, { type: ['send'] })).toBe(false);
  });

  test('implies --failures', () => {
    expect(compileFilterSpec({}, parseReasons(['insufficient_balance'])).failures).toBe(true);
    expect(compileFilterSpec({}, null).failures).toBe(false);
  });

  test('an unknown name is a usage error naming the closest name and listing the valid ones', () => {
    const msg = usage(() => parseReasons(['insuficient_balance']));
    expect(msg).toMatch(
      /^--reason "insuficient_balance" is not a failure name \(did you mean insufficient_balance\?\)/,
    );
    for (const name of ['temporary_channel_failure', 'fee_insufficient', 'insufficient_balance', 'unknown_invoice'])
      expect(msg).toContain(name);
  });

  test('every lnd name is accepted', () => {
    for (const name of REASON_NAMES) expect(parseReasons([name])).not.toBeNull();
    expect(parseReasons(undefined)).toBeNull();
  });
});

describe('malformed short channel ids are usage errors naming the option', () => {
  test.each([
    ['--channel', { channel: ['123:1:0'] }, /^--channel "123:1:0" is not a channel id: write it 123x1x0/],
    [
      '--channel',
      { channel: ['1x2'] },
      /^--channel "1x2" is not a channel id: a short channel id has three parts, BLOCKxTXxOUT/,
    ],
    ['--in-channel', { inChannel: ['1x2x3x4'] }, /^--in-channel "1x2x3x4" is not a channel id/],
    ['--out-channel', { outChannel: ['830412x'] }, /^--out-channel "830412x" is not a channel id/],
  ] as const)('%s %j', (_o, opts, msg) => {
    expect(usage(() => compileFilterSpec(opts))).toMatch(msg);
  });
  test('well-formed ones still parse', () => {
    expect([...compileFilterSpec({ channel: ['830412x1903x1', '913047649969438721'] }).channel!.ids]).toEqual([
      '913047649969438721',
    ]);
  });
});

describe('an alias that matches no alias of the node', () => {
  const known = ['ACINQ', 'WalletOfSatoshi.com', '⚡ Zürich-node', 'LNBiG [Hub-3]', 'Boltz'];
  test('closest: prefix first, then containment, then edit distance', () => {
    expect(closestAliases('acin', known)[0]).toBe('ACINQ');
    expect(closestAliases('ACNIQ', known)[0]).toBe('ACINQ');
    expect(closestAliases('satoshi', known)[0]).toBe('WalletOfSatoshi.com');
    expect(closestAliases('x', known)).toHaveLength(3);
  });
  test('one warning per unmatched alias, naming the closest; matched aliases none', () => {
    const spec = compileFilterSpec({ channel: ['ACNIQ', 'acinq'], outChannel: ['bolz'] });
    const w = unmatchedAliasWarnings(spec, known);
    expect(w).toHaveLength(2);
    expect(w[0]).toMatch(/^--channel "ACNIQ" matches no peer alias of this node's channels.*closest: "ACINQ"/);
    expect(w[1]).toMatch(/^--out-channel "bolz" matches no peer alias.*closest: "Boltz"/);
  });
  test('a node with no aliases at all says so', () => {
    expect(unmatchedAliasWarnings(compileFilterSpec({ channel: ['ACINQ'] }), [])[0]).toMatch(
      /no channel of this node has a known peer alias/,
    );
  });
  test('untrusted aliases are quoted safely', () => {
    const w = unmatchedAliasWarnings(compileFilterSpec({ channel: ['bad'] }), ['bad\u001b[31malias'])[0]!;
    expect(w).not.toContain('\u001b');
    expect(w).toContain('"bad\\u001b[31malias"');
  });
});
