import { describe, expect, test } from '@jest/globals';
import { compileFilterSpec, parseSatToMsat, type FilterOptions } from '../../src/config/filter-options.js';
import { DEFAULT_FILTER_SPEC, makeFilter, specUsesAliases } from '../../src/events/filter.js';
import type { OutputItem } from '../../src/events/model.js';
import { HtlcTailError } from '../../src/errors.js';
import {
  htlcInfo,
  IN,
  makeFinalHtlc,
  makeForward,
  makeForwardFail,
  makeGap,
  makeHtlc,
  makeLinkFail,
  makeSettle,
  makeUnknown,
  OTHER,
  OUT,
  subscribed,
} from '../builders.js';

const keeps = (opts: FilterOptions, item: OutputItem, lookup?: (id: string) => string | undefined): boolean =>
  makeFilter(compileFilterSpec(opts), lookup)(item);

/** A forward of 1,001,000 → 1,000,000 msat (the --min-amount rows). */
const FWD_1001 = { info: htlcInfo('1001000', '1000000') };
const SEND = { eventType: 1, incomingChannelId: '0', incomingHtlcId: '0' } as const;
const RECEIVE = { eventType: 2, outgoingChannelId: '0', outgoingHtlcId: '0' } as const;

describe('no options: everything but subscribed', () => {
  const f = makeFilter(DEFAULT_FILTER_SPEC);
  test.each([
    ['forward', true, makeForward()],
    ['settle', true, makeSettle()],
    ['forward_fail', true, makeForwardFail()],
    ['link_fail', true, makeLinkFail()],
    ['final_htlc', true, makeFinalHtlc(true)],
    ['unknown (no oneof member)', true, makeUnknown()],
    ['subscribed', false, subscribed()],
    ['gap', true, makeGap()],
  ] as const)('%s → kept: %s', (_n, kept, item) => {
    expect(f(item)).toBe(kept);
  });
  test('compileFilterSpec({}) equals the default spec', () => {
    const s = compileFilterSpec({});
    expect(s.types).toBeNull();
    expect([...s.events].sort()).toEqual([...DEFAULT_FILTER_SPEC.events].sort());
    expect([s.channel, s.inChannel, s.outChannel, s.failures, s.minAmountMsat]).toEqual([
      null,
      null,
      null,
      false,
      null,
    ]);
  });
});

describe('filter table', () => {
  type Row = [string, FilterOptions, OutputItem, boolean];
  const rows: Row[] = [
    // --type
    ['--type forward keeps a forward', { type: ['forward'] }, makeForward(), true],
    ['--type forward drops a send', { type: ['forward'] }, makeForward(SEND), false],
    ['--type send,receive keeps a receive settle', { type: ['send,receive'] }, makeSettle(RECEIVE), true],
    ['--type repeated (SEND,Receive) keeps a send', { type: ['SEND', 'Receive'] }, makeForward(SEND), true],
    [
      '--type forward keeps a final_htlc whose first event was a forward',
      { type: ['forward'] },
      makeFinalHtlc(true, { corr: { firstEventType: 3 } }),
      true,
    ],
    [
      '--type receive drops a final_htlc of a forward',
      { type: ['receive'] },
      makeFinalHtlc(true, { corr: { firstEventType: 3 } }),
      false,
    ],
    ['--type unknown keeps an uncorrelated final_htlc', { type: ['unknown'] }, makeFinalHtlc(true), true],
    ['--type unknown keeps a future event_type number', { type: ['unknown'] }, makeForward({ eventType: 9 }), true],
    ['--type forward drops a future event_type number', { type: ['forward'] }, makeForward({ eventType: 9 }), false],
    ['--type passes gaps', { type: ['send'] }, makeGap(), true],
    // --event
    ['--event settle keeps a settle', { event: ['settle'] }, makeSettle(), true],
    ['--event settle drops a forward', { event: ['settle'] }, makeForward(), false],
    ['--event subscribed keeps subscribed', { event: ['subscribed'] }, subscribed(), true],
    ['--event forward,FINAL_HTLC keeps final_htlc', { event: ['forward,FINAL_HTLC'] }, makeFinalHtlc(false), true],
    ['--event settle drops unknown kinds', { event: ['settle'] }, makeUnknown(), false],
    ['--event unknown keeps unknown kinds', { event: ['unknown'] }, makeUnknown(), true],
    ['--event passes gaps', { event: ['settle'] }, makeGap(), true],
    // --failures
    ['--failures keeps link_fail', { failures: true }, makeLinkFail(), true],
    ['--failures keeps forward_fail', { failures: true }, makeForwardFail(), true],
    ['--failures keeps final_htlc settled=false', { failures: true }, makeFinalHtlc(false), true],
    ['--failures drops final_htlc settled=true', { failures: true }, makeFinalHtlc(true), false],
    ['--failures drops settle', { failures: true }, makeSettle(), false],
    ['--failures drops forward', { failures: true }, makeForward(), false],
    ['--failures passes gaps', { failures: true }, makeGap(), true],
    // --channel
    ['--channel id matches incoming', { channel: [IN] }, makeForward(), true],
    ['--channel id matches outgoing', { channel: [OUT] }, makeForward(), true],
    ['--channel scid matches', { channel: ['830502x12x0'] }, makeForward(), true],
    ['--channel other drops', { channel: [OTHER] }, makeForward(), false],
    ['--channel list: one of them', { channel: [`${OTHER},830412x1903x1`] }, makeForward(), true],
    ['--channel repeated: one of them', { channel: [OTHER, OUT] }, makeForward(), true],
    ['--in-channel matches incoming only', { inChannel: [IN] }, makeForward(), true],
    ['--in-channel does not match outgoing', { inChannel: [OUT] }, makeForward(), false],
    ['--out-channel matches outgoing', { outChannel: [OUT] }, makeForward(), true],
    ['--out-channel does not match incoming', { outChannel: [IN] }, makeForward(), false],
    ['--in and --out both (AND)', { inChannel: [IN], outChannel: [OUT] }, makeForward(), true],
    ['--in and --out, one wrong (AND)', { inChannel: [IN], outChannel: [OTHER] }, makeForward(), false],
    ['--channel passes gaps', { channel: [OTHER] }, makeGap(), true],
    // aliases
    ['alias from enrichment, case-insensitive', { channel: ['acinq'] }, makeForward({ outgoingAlias: 'ACINQ' }), true],
    [
      'alias from enrichment, other peer',
      { channel: ['acinq'] },
      makeForward({ outgoingAlias: 'WalletOfSatoshi' }),
      false,
    ],
    [
      '--in-channel alias looks at the incoming side only',
      { inChannel: ['ACINQ'] },
      makeForward({ outgoingAlias: 'ACINQ' }),
      false,
    ],
    // --min-amount
    ['--min-amount below the larger side keeps', { minAmount: '1001' }, makeForward(FWD_1001), true],
    ['--min-amount 1000.999 sat keeps 1001000 msat', { minAmount: '1000.999' }, makeForward(FWD_1001), true],
    ['--min-amount above both sides drops', { minAmount: '1001.001' }, makeForward(FWD_1001), false],
    ['--min-amount uses outgoing when larger', { minAmount: '5' }, makeForward({ info: htlcInfo('0', '5000') }), true],
    ['--min-amount with no known amount drops (settle)', { minAmount: '0' }, makeSettle(), false],
    ['--min-amount with null info drops', { minAmount: '0' }, makeLinkFail({ info: null }), false],
    [
      '--min-amount uses correlated info',
      { minAmount: '1000' },
      makeSettle({ corr: { info: htlcInfo('1001000', '1000000') } }),
      true,
    ],
    [
      '--min-amount correlated info too small',
      { minAmount: '2000' },
      makeFinalHtlc(true, { corr: { info: htlcInfo('1001000', '1000000') } }),
      false,
    ],
    [
      '--min-amount exact over 2^53',
      { minAmount: '18446744073709551.615' },
      makeForward({ info: htlcInfo('18446744073709551615', '0') }),
      true,
    ],
    [
      '--min-amount exact over 2^53, one msat short',
      { minAmount: '18446744073709551.615' },
      makeForward({ info: htlcInfo('18446744073709551614', '0') }),
      false,
    ],
    [
      '--min-amount tolerates leading zeros in amounts',
      { minAmount: '1' },
      makeForward({ info: htlcInfo('0001000', '0') }),
      true,
    ],
    ['--min-amount passes gaps', { minAmount: '1000000' }, makeGap(), true],
    // AND across options
    ['type AND failures', { type: ['receive'], failures: true }, makeLinkFail(RECEIVE), true],
    ['type AND failures, wrong type', { type: ['send'], failures: true }, makeLinkFail(RECEIVE), false],
    [
      'event AND channel AND amount',
      { event: ['forward'], channel: ['830412x1903x1'], minAmount: '1000' },
      makeForward(),
      true,
    ],
    [
      'event AND channel AND amount, amount fails',
      { event: ['forward'], channel: ['830412x1903x1'], minAmount: '2000' },
      makeForward(),
      false,
    ],
  ];
  test.each(rows)('%s', (_n, opts, item, kept) => {
    expect(keeps(opts, item)).toBe(kept);
  });
});

describe('alias references use the lookup when the event carries no alias', () => {
  const lookup = (id: string) => ({ [IN]: 'Bob', [OUT]: 'ACINQ' })[id];
  test.each([
    [{ channel: ['acinq'] }, makeForward(), true],
    [{ inChannel: ['bob'] }, makeForward(), true],
    [{ inChannel: ['ACINQ'] }, makeForward(), false],
    [{ channel: ['carol'] }, makeForward(), false],
    [{ outChannel: ['acinq'] }, makeFinalHtlc(true), false],
  ] as const)('%j', (opts, item, kept) => {
    expect(keeps(opts, item, lookup)).toBe(kept);
  });
  test('the event alias wins over the lookup', () => {
    expect(keeps({ outChannel: ['acinq'] }, makeForward({ outgoingAlias: 'renamed' }), lookup)).toBe(false);
  });
  test('channel 0 is never looked up', () => {
    const seen: string[] = [];
    keeps({ channel: ['x'] }, makeFinalHtlc(true), (id) => (seen.push(id), undefined));
    expect(seen).toEqual([IN]);
  });
  test('without a lookup, alias references match nothing but enrichment', () => {
    expect(keeps({ channel: ['acinq'] }, makeForward())).toBe(false);
  });
  test('specUsesAliases', () => {
    expect(specUsesAliases(compileFilterSpec({ channel: ['123'] }))).toBe(false);
    expect(specUsesAliases(compileFilterSpec({ outChannel: ['123', 'ACINQ'] }))).toBe(true);
  });
});

describe('compile errors are usage errors naming the option and the allowed values', () => {
  test.each([
    [
      { type: ['forwards'] },
      '--type "forwards" is not known; use one or more of send, receive, forward, unknown (comma-separated or repeated)',
    ],
    [
      { event: ['forward,link-fail'] },
      '--event "link-fail" is not known; use one or more of forward, forward_fail, settle, link_fail, final_htlc, subscribed, unknown (comma-separated or repeated)',
    ],
    [{ event: [''] }, '--event needs a value; see htlc-tail --help'],
    [
      { inChannel: ['18446744073709551616'] },
      '--in-channel "18446744073709551616" is out of range for a channel id (uint64) or a short channel id BLOCKxTXxOUT (block < 2^24, tx < 2^24, output < 2^16); check the number',
    ],
    [
      { outChannel: ['1x1x65536'] },
      '--out-channel "1x1x65536" is out of range for a channel id (uint64) or a short channel id BLOCKxTXxOUT (block < 2^24, tx < 2^24, output < 2^16); check the number',
    ],
    [
      { minAmount: '-1' },
      '--min-amount "-1" is not an amount; give satoshis, e.g. --min-amount 1000 or --min-amount 0.5',
    ],
    [
      { minAmount: '1e3' },
      '--min-amount "1e3" is not an amount; give satoshis, e.g. --min-amount 1000 or --min-amount 0.5',
    ],
    [
      { minAmount: '0.0001' },
      '--min-amount "0.0001" has more than 3 decimals (1 msat = 0.001 sat); give satoshis, e.g. --min-amount 1000 or --min-amount 0.5',
    ],
  ] as const)('%j', (opts, message) => {
    let err: unknown;
    try {
      compileFilterSpec(opts);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HtlcTailError);
    expect((err as HtlcTailError).kind).toBe('usage');
    expect((err as HtlcTailError).message).toBe(message);
  });
});

describe('parseSatToMsat', () => {
  test.each([
    ['0', 0n],
    ['1', 1000n],
    ['1.', 1000n],
    ['0.001', 1n],
    ['1.5', 1500n],
    ['21000000.12', 21000000120n],
    [' 7 ', 7000n],
    ['18446744073709551.615', 18446744073709551615n],
  ])('%j → %s msat', (sat, msat) => {
    expect(parseSatToMsat(sat)).toBe(msat);
  });
});

describe('a string option (not an array) is accepted too', () => {
  test('type as a string', () => {
    expect(keeps({ type: 'send' }, makeForward(SEND))).toBe(true);
    expect(keeps({ channel: IN }, makeHtlc())).toBe(true);
  });
});
