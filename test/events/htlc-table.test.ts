import { describe, test, expect } from '@jest/globals';
import { joinU64, nsBig, nsDiff, splitNs, splitU64 } from '../../src/events/decimal-split.js';
import { FREE, HtlcTable, newKey, NONE, OPEN, RECENT } from '../../src/events/htlc-table.js';
import type { HtlcInfo } from '../../src/events/model.js';
import { mulberry32 } from '../prng.js';

const prng = mulberry32;

const U64_MAX = (1n << 64n) - 1n;
const TEN10 = 10n ** 10n;

function randU32(rnd: () => number): bigint {
  return BigInt(Math.floor(rnd() * 4294967296));
}

function randU64(rnd: () => number): bigint {
  return (randU32(rnd) << 32n) | randU32(rnd);
}

/** A uniformly random number of exactly `digits` decimal digits (no leading zero), within uint64. */
function randDigits(rnd: () => number, digits: number): bigint {
  for (;;) {
    let s = String(1 + Math.floor(rnd() * 9));
    for (let i = 1; i < digits; i++) s += String(Math.floor(rnd() * 10));
    const v = BigInt(s);
    if (v <= U64_MAX) return v;
  }
}

function split(s: string, at = 0): [number, number] {
  const out = new Float64Array(at + 2);
  splitU64(s, out, at);
  return [out[at]!, out[at + 1]!];
}

function ns(s: string): [number, number] {
  const out = new Float64Array(2);
  splitNs(s, out, 0);
  return [out[0]!, out[1]!];
}

describe('splitU64 / joinU64', () => {
  const rnd = prng(0x5eed_0001);
  const values: bigint[] = [
    0n,
    1n,
    9n,
    10n,
    9_999_999_999n,
    10_000_000_000n,
    10_000_000_001n,
    99_999_999_999n,
    2n ** 32n - 1n,
    2n ** 32n,
    2n ** 35n,
    9_007_199_254_740_991n,
    9_007_199_254_740_992n,
    9_007_199_254_740_993n,
    123_456_789_012_345_678n,
    10n ** 19n,
    10n ** 19n - 1n,
    U64_MAX - 1n,
    U64_MAX,
  ];
  for (let d = 11; d <= 20; d++) for (let k = 0; k < 5; k++) values.push(randDigits(rnd, d));
  for (let d = 1; d <= 10; d++) values.push(randDigits(rnd, d));
  for (let k = 0; k < 400; k++) values.push(randU64(rnd));
  // Small-digit-count values are rare among uniform uint64s: add some of every size.
  for (let k = 0; k < 200; k++) values.push(randU64(rnd) >> BigInt(Math.floor(rnd() * 64)));

  test.each(values.map((v) => [v.toString()]))('%s', (s) => {
    const v = BigInt(s);
    const [hi, lo] = split(s);
    expect([hi, lo]).toEqual([Number(v / TEN10), Number(v % TEN10)]);
    expect(Number.isInteger(hi) && Number.isInteger(lo)).toBe(true);
    expect(joinU64(hi, lo)).toBe(s);
  });

  test('writes out[at] and out[at + 1] only', () => {
    const out = new Float64Array(6).fill(7);
    splitU64('18446744073709551615', out, 2);
    expect(Array.from(out)).toEqual([7, 7, 1844674407, 3709551615, 7, 7]);
  });

  test.each([[''], ['abc'], ['12a'], ['a12'], ['-1'], [' 1'], ['1 '], ['1.5'], ['1e5'], ['１']])(
    'not a decimal number: %j → (−1, −1)',
    (s) => {
      const out = new Float64Array(4).fill(5);
      splitU64(s, out, 1);
      expect(Array.from(out)).toEqual([5, -1, -1, 5]);
    },
  );
});

describe('splitNs / nsDiff / nsBig', () => {
  test.each<[string, number, number]>([
    ['1700000000123456789', 1_700_000_000, 123_456_789],
    ['1700000000000000000', 1_700_000_000, 0],
    ['1700000000000000001', 1_700_000_000, 1],
    ['1000000000', 1, 0],
    ['999999999', 0, 999_999_999],
    ['123', 0, 123],
    ['0', 0, 0],
    ['18446744073709551615', 18_446_744_073, 709_551_615],
    ['x', 0, 0],
    ['', 0, 0],
    ['17000000001234x6789', 0, 0],
    ['-5', 0, 0],
  ])('splitNs(%j) → (%d s, %d ns)', (s, sec, n) => {
    expect(ns(s)).toEqual([sec, n]);
  });

  const T = 1_700_000_000_123_456_789n;
  const pairs: Array<[bigint, bigint]> = [
    [T, T],
    [0n, 0n],
    [T + 1n, T],
    [T, T + 1n],
    [T + 7n, T],
    [T + 999_999_999n, T],
    [T + 1_000_000_000n, T],
    [T + 1_000_000_001n, T],
    [T + 3_000_000n, T], // 3 ms
    [T, T + 3_000_000n],
    [T + 2_500_000_000n, T], // 2.5 s
    [T, T + 2_500_000_000n],
    [T + 86_400_000_000_123n, T], // a day
    [1_700_000_000_999_999_999n, 1_700_000_001_000_000_000n], // ns carry, negative
    [1_700_000_001_000_000_000n, 1_700_000_000_999_999_999n],
    // Near and across the 9·10^6 s boundary of the number path.
    [8_999_999_999_999_999n, 0n],
    [0n, 8_999_999_999_999_999n],
    [T + 8_999_999_999_999_999n, T],
    [T + 8_999_999_000_000_000n, T + 999_999_999n],
    [T + 9_000_000_000_000_000n, T],
    [T, T + 9_000_000_000_000_000n],
    [T + 9_000_000_000_000_001n, T],
    [T + 9_007_199_254_740_993n, T],
    [T, 0n],
    [0n, T],
    [U64_MAX, 0n],
    [0n, U64_MAX],
    [U64_MAX, U64_MAX - 1n],
    [123n, 999_999_999n],
  ];
  const rnd = prng(0x5eed_0002);
  for (let k = 0; k < 300; k++) {
    const a =
      1_600_000_000_000_000_000n + BigInt(Math.floor(rnd() * 2e9)) * 1_000_000_000n + BigInt(Math.floor(rnd() * 1e9));
    // Deltas of every magnitude: ns .. ~10^17 ns (crossing 9·10^15 both ways).
    const delta = BigInt(Math.floor(rnd() * 10 ** Math.floor(rnd() * 18)));
    pairs.push(rnd() < 0.5 ? [a, a + delta] : [a + delta, a]);
  }

  test.each(pairs.map(([a, b]) => [a.toString(), b.toString()]))('nsDiff(%s, %s)', (a, b) => {
    const [as, an] = ns(a);
    const [bs, bn] = ns(b);
    expect(nsDiff(as, an, bs, bn)).toBe((BigInt(a) - BigInt(b)).toString());
  });

  test('nsBig(splitNs(s)) round trip', () => {
    const all = new Set<string>(['0', '1', '999999999', '1000000000', '18446744073709551615']);
    for (const [a, b] of pairs) all.add(a.toString()).add(b.toString());
    for (const s of all) {
      const [sec, n] = ns(s);
      expect([s, nsBig(sec, n)]).toEqual([s, BigInt(s)]);
    }
  });
});

// ---------------------------------------------------------------------------
// HtlcTable against a model (a Map plus an array per list in age order).

type Ids = readonly [string, string, string, string];
type ListId = typeof OPEN | typeof RECENT;

interface ModelRecord {
  slot: number;
  list: ListId;
  ids: Ids;
  info: HtlcInfo | null;
  ts: string;
}

/** The record identity: all four ids for a send (incoming channel 0), else the incoming pair. */
function identity(ids: Ids): string {
  return ids[0] === '0' ? ids.join('/') : `${ids[0]}/${ids[1]}`;
}

/** The key the tests fill and pass to find/insert. */
const KEY = newKey();

function setKey(ids: readonly string[]): void {
  for (let j = 0; j < 4; j++) splitU64(ids[j]!, KEY, 2 * j);
}

function findIds(t: HtlcTable, ids: readonly string[]): number {
  setKey(ids);
  return t.find(KEY);
}

function walk(t: HtlcTable, l: ListId, limit: number): number[] {
  const out: number[] = [];
  for (let s = t.oldest(l); s !== NONE; s = t.newer(s)) {
    out.push(s);
    if (out.length > limit) break; // a cycle: fail below rather than hang
  }
  return out;
}

interface ModelConfig {
  readonly name: string;
  readonly seed: number;
  readonly maxCapacity: number;
  /** Records the test keeps at most (may exceed maxCapacity to exercise growth beyond it). */
  readonly liveMax: number;
  readonly ops: number;
  readonly chans: readonly string[];
  readonly htlcIds: number;
  /** Full check (every key of the universe, both lists) every this many ops. */
  readonly fullEvery: number;
}

const CHANS_SMALL = ['0', '1', '2', '10000000001', '18446744073709551615'];
const HIGH_IDS = ['10000000000', '10000000001', '20000000001', '18446744073709551615'];
const AMOUNTS = [
  '0',
  '1',
  '9999999999',
  '10000000000',
  '123456789012345678',
  '18446744073709551615',
  '12345678901234567890',
];

function modelRun(cfg: ModelConfig): void {
  const rnd = prng(cfg.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const t = new HtlcTable(cfg.maxCapacity);
  const model = new Map<string, ModelRecord>();
  const order: Record<ListId, string[]> = { [OPEN]: [], [RECENT]: [] };
  /** Every identity ever inserted: the ones not in the model must not be found. */
  const universe = new Map<string, Ids>();
  /** Live slots → identity. */
  const bySlot = new Map<number, string>();

  const outChans = cfg.chans.filter((c) => c !== '0');
  // Mostly small htlc ids; some with a non-zero high half (same low half as small ones).
  const htlcId = (): string => (rnd() < 0.15 ? pick(HIGH_IDS) : String(Math.floor(rnd() * cfg.htlcIds)));
  const randIds = (): Ids => [pick(cfg.chans), htlcId(), pick(outChans), htlcId()];
  /** The same record's key with other outgoing ids when those do not matter. */
  const variant = (ids: Ids): Ids =>
    ids[0] === '0' ? ids : [ids[0], ids[1], pick(cfg.chans), String(Math.floor(rnd() * 1000))];
  const randInfo = (): HtlcInfo | null =>
    rnd() < 0.3
      ? null
      : {
          incomingTimelock: Math.floor(rnd() * 4294967296),
          outgoingTimelock: Math.floor(rnd() * 1000),
          incomingAmtMsat: rnd() < 0.5 ? pick(AMOUNTS) : randU64(rnd).toString(),
          outgoingAmtMsat: rnd() < 0.5 ? pick(AMOUNTS) : randU64(rnd).toString(),
        };
  const drop = (key: string): void => {
    const r = model.get(key)!;
    t.remove(r.slot);
    model.delete(key);
    bySlot.delete(r.slot);
    const o = order[r.list];
    o.splice(o.indexOf(key), 1);
  };

  // Plain comparisons in the hot loop (expect() is slow there); the first mismatch fails the test.
  const fail = (op: number, what: string, got: unknown, want: unknown): never => {
    throw new Error(
      `${cfg.name} (seed ${cfg.seed}), op ${op}: ${what}: got ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`,
    );
  };
  const sameInfo = (a: HtlcInfo | undefined, b: HtlcInfo | null): boolean =>
    b === null
      ? a === undefined
      : a !== undefined &&
        a.incomingTimelock === b.incomingTimelock &&
        a.outgoingTimelock === b.outgoingTimelock &&
        a.incomingAmtMsat === b.incomingAmtMsat &&
        a.outgoingAmtMsat === b.outgoingAmtMsat;

  const checkRecord = (op: number, key: string, r: ModelRecord): void => {
    const s = findIds(t, variant(r.ids));
    if (s !== r.slot) fail(op, `find ${key}`, s, r.slot);
    if (t.listOf(s) !== r.list) fail(op, `listOf ${key}`, t.listOf(s), r.list);
    if (t.hasInfoOf(s) !== (r.info !== null)) fail(op, `hasInfoOf ${key}`, t.hasInfoOf(s), r.info !== null);
    if (!sameInfo(t.infoOf(s), r.info)) fail(op, `infoOf ${key}`, t.infoOf(s), r.info);
    const ts = nsBig(t.ts[2 * s]!, t.ts[2 * s + 1]!).toString();
    if (ts !== r.ts) fail(op, `ts ${key}`, ts, r.ts);
  };

  const fullCheck = (op: number): void => {
    for (const l of [OPEN, RECENT] as const) {
      if (t.size(l) !== order[l].length) fail(op, `size(${l})`, t.size(l), order[l].length);
      const got = walk(t, l, model.size).join(',');
      const want = order[l].map((k) => model.get(k)!.slot).join(',');
      if (got !== want) fail(op, `list ${l} oldest → newest`, got, want);
    }
    const slots = new Set<number>();
    for (const [key, ids] of universe) {
      const r = model.get(key);
      if (r) {
        checkRecord(op, key, r);
        slots.add(r.slot);
      } else {
        const s = findIds(t, variant(ids));
        if (s !== NONE) fail(op, `find removed ${key}`, s, NONE);
      }
    }
    if (slots.size !== model.size) fail(op, 'distinct slots', slots.size, model.size);
  };

  let inserts = 0;
  let removes = 0;
  let touches = 0;
  let peak = 0;
  for (let op = 1; op <= cfg.ops; op++) {
    const ids = randIds();
    const key = identity(ids);
    const r = model.get(key);
    if (r) {
      const x = rnd();
      if (x < 0.4) {
        drop(key);
        removes++;
      } else if (x < 0.8) {
        const l: ListId = rnd() < 0.5 ? OPEN : RECENT;
        t.touch(r.slot, l);
        const o = order[r.list];
        o.splice(o.indexOf(key), 1);
        order[l].push(key);
        r.list = l;
        touches++;
      } else checkRecord(op, key, r);
    } else {
      const found = findIds(t, variant(ids));
      if (found !== NONE) fail(op, `find absent ${key}`, found, NONE);
      if (model.size >= cfg.liveMax) {
        // Like the correlator: make room by dropping the oldest record of a list.
        const l: ListId = order[RECENT].length > 0 && (order[OPEN].length === 0 || rnd() < 0.5) ? RECENT : OPEN;
        drop(order[l][0]!);
        removes++;
      }
      // KEY holds this key's full four ids; for a keyed-by-incoming record [4..7] are its outgoing ids.
      setKey(ids);
      const l: ListId = rnd() < 0.5 ? OPEN : RECENT;
      const s = t.insert(KEY, l);
      if (!(s >= 0) || model.has(key) || bySlot.has(s)) fail(op, `insert ${key}: slot`, s, 'a free slot');
      const stored = Array.from(t.ids.subarray(s * 8, s * 8 + 8)).join(',');
      if (stored !== Array.from(KEY).join(',')) fail(op, `ids of ${key}`, stored, Array.from(KEY).join(','));
      const info = randInfo();
      t.setInfo(s, info);
      const ts = (1_700_000_000_000_000_000n + BigInt(op) * 1_000_003n).toString();
      splitNs(ts, t.ts, 2 * s);
      const rec: ModelRecord = { slot: s, list: l, ids, info, ts };
      model.set(key, rec);
      bySlot.set(s, key);
      order[l].push(key);
      universe.set(key, ids);
      inserts++;
      checkRecord(op, key, rec);
      peak = Math.max(peak, model.size);
    }
    if (op % cfg.fullEvery === 0 || op === cfg.ops) fullCheck(op);
  }
  // The run did exercise every operation, and filled the table.
  expect(inserts).toBeGreaterThan(cfg.ops / 5);
  expect(removes).toBeGreaterThan(cfg.ops / 10);
  expect(touches).toBeGreaterThan(cfg.ops / 20);
  expect(universe.size).toBeGreaterThan(cfg.liveMax);
  expect(peak).toBe(cfg.liveMax);
  // Room for every record; growth stops at maxCapacity while the records fit in it.
  expect(t.ids.length).toBeGreaterThanOrEqual(peak * 8);
  if (cfg.liveMax <= cfg.maxCapacity) expect(t.ids.length).toBe(cfg.maxCapacity * 8);
  // Drain: remove everything, oldest first from alternating lists.
  while (model.size > 0) {
    const l: ListId = order[OPEN].length > 0 && (order[RECENT].length === 0 || model.size % 2 === 0) ? OPEN : RECENT;
    if (t.oldest(l) !== model.get(order[l][0]!)!.slot)
      fail(cfg.ops + 1, `oldest(${l})`, t.oldest(l), model.get(order[l][0]!)!.slot);
    drop(order[l][0]!);
    if (model.size % cfg.fullEvery === 0) fullCheck(cfg.ops + 1);
  }
  fullCheck(cfg.ops + 1);
  expect([t.oldest(OPEN), t.oldest(RECENT)]).toEqual([NONE, NONE]);
}

describe('HtlcTable: randomized model test', () => {
  const configs: ModelConfig[] = [
    // Dense: 8 records in a 16-entry index, ~100 identities: long probe runs, many backward shifts.
    {
      name: 'max 8, small ids',
      seed: 1,
      maxCapacity: 8,
      liveMax: 8,
      ops: 6000,
      chans: CHANS_SMALL,
      htlcIds: 4,
      fullEvery: 1,
    },
    {
      name: 'max 8, tiny ids',
      seed: 2,
      maxCapacity: 8,
      liveMax: 8,
      ops: 4000,
      chans: ['0', '1', '10000000001'],
      htlcIds: 3,
      fullEvery: 1,
    },
    { name: 'max 1', seed: 3, maxCapacity: 1, liveMax: 1, ops: 1000, chans: ['0', '5'], htlcIds: 2, fullEvery: 1 },
    {
      name: 'max 5, more records than that (grows one slot at a time)',
      seed: 4,
      maxCapacity: 5,
      liveMax: 40,
      ops: 4000,
      chans: CHANS_SMALL,
      htlcIds: 5,
      fullEvery: 1,
    },
    // Growth by doubling: 1024 → 2048 → 2500.
    {
      name: 'max 2500, growth from 1024',
      seed: 5,
      maxCapacity: 2500,
      liveMax: 2500,
      ops: 12000,
      chans: ['0', '1', '2', '3', '10000000001', '10000000002', '18446744073709551615'],
      htlcIds: 600,
      fullEvery: 500,
    },
  ];
  test.each(configs.map((c): [string, ModelConfig] => [c.name, c]))('%s', (_name, cfg) => {
    modelRun(cfg);
  });
});

describe('HtlcTable: keys', () => {
  test('incoming channel ≠ 0: only the incoming (channel, htlc id) identifies the record', () => {
    const t = new HtlcTable(8);
    setKey(['7', '3', '9', '1']);
    const s = t.insert(KEY, OPEN);
    expect(findIds(t, ['7', '3', '9', '1'])).toBe(s);
    expect(findIds(t, ['7', '3', '0', '0'])).toBe(s);
    expect(findIds(t, ['7', '3', '18446744073709551615', '42'])).toBe(s);
    expect(findIds(t, ['7', '4', '9', '1'])).toBe(NONE);
    expect(findIds(t, ['10000000007', '3', '9', '1'])).toBe(NONE);
    expect(findIds(t, ['0', '0', '9', '1'])).toBe(NONE);
    // Outgoing ids are kept as inserted.
    expect(Array.from(t.ids.subarray(s * 8, s * 8 + 8))).toEqual([0, 7, 0, 3, 0, 9, 0, 1]);
  });

  test('incoming channel 0 (a send): all four ids identify the record', () => {
    const t = new HtlcTable(8);
    setKey(['0', '0', '9', '1']);
    const a = t.insert(KEY, OPEN);
    setKey(['0', '0', '9', '2']);
    const b = t.insert(KEY, OPEN);
    setKey(['0', '0', '10000000009', '1']);
    const c = t.insert(KEY, RECENT);
    expect(new Set([a, b, c]).size).toBe(3);
    expect([
      findIds(t, ['0', '0', '9', '1']),
      findIds(t, ['0', '0', '9', '2']),
      findIds(t, ['0', '0', '10000000009', '1']),
    ]).toEqual([a, b, c]);
    expect(findIds(t, ['0', '0', '9', '3'])).toBe(NONE);
    expect(findIds(t, ['0', '0', '9', '10000000001'])).toBe(NONE);
    expect(findIds(t, ['0', '10000000000', '9', '1'])).toBe(NONE);
    expect(findIds(t, ['0', '0', '8', '1'])).toBe(NONE);
    expect(findIds(t, ['9', '1', '0', '0'])).toBe(NONE);
    expect([t.size(OPEN), t.size(RECENT)]).toEqual([2, 1]);
  });

  // Pairs with the same 32-bit hash under the current keyHash (found by search): the
  // table must compare the ids, not trust the hash. Still valid if the hash changes.
  test.each<[string, readonly string[], readonly string[]]>([
    ['send', ['0', '7', '37891050', '431154616'], ['0', '7', '1530558589', '3667189951']],
    ['forward', ['2603964213', '1490267999', '0', '0'], ['1535662500', '613219550', '0', '0']],
  ])('keys with equal hashes are told apart (%s)', (_name, a, b) => {
    const t = new HtlcTable(4);
    setKey(a);
    const sa = t.insert(KEY, OPEN);
    expect(findIds(t, b)).toBe(NONE);
    setKey(b);
    const sb = t.insert(KEY, OPEN);
    expect(sb).not.toBe(sa);
    expect([findIds(t, a), findIds(t, b)]).toEqual([sa, sb]);
    t.remove(sa);
    expect([findIds(t, a), findIds(t, b)]).toEqual([NONE, sb]);
    setKey(a);
    const sa2 = t.insert(KEY, RECENT);
    t.remove(sb);
    expect([findIds(t, a), findIds(t, b)]).toEqual([sa2, NONE]);
  });

  test('hi/lo halves are both part of the key (same lo, different hi)', () => {
    const t = new HtlcTable(8);
    const chans = ['5', '10000000005', '20000000005', '18446744060000000005'];
    const slots = chans.map((c) => {
      setKey([c, '1', '0', '0']);
      return t.insert(KEY, OPEN);
    });
    expect(chans.map((c) => findIds(t, [c, '1', '0', '0']))).toEqual(slots);
    expect(new Set(slots).size).toBe(chans.length);
  });
});

describe('HtlcTable: info', () => {
  const infos: HtlcInfo[] = [
    { incomingTimelock: 0, outgoingTimelock: 0, incomingAmtMsat: '0', outgoingAmtMsat: '0' },
    { incomingTimelock: 800_100, outgoingTimelock: 800_060, incomingAmtMsat: '1001000', outgoingAmtMsat: '1000000' },
    {
      incomingTimelock: 4294967295,
      outgoingTimelock: 1,
      incomingAmtMsat: '18446744073709551615',
      outgoingAmtMsat: '12345678901234567890',
    },
    { incomingTimelock: 1, outgoingTimelock: 2, incomingAmtMsat: '9999999999', outgoingAmtMsat: '10000000000' },
    { incomingTimelock: 3, outgoingTimelock: 4, incomingAmtMsat: '10000000001', outgoingAmtMsat: '9007199254740993' },
  ];
  test.each(infos.map((i): [string, HtlcInfo] => [JSON.stringify(i), i]))(
    'setInfo/infoOf round trip: %s',
    (_s, info) => {
      const t = new HtlcTable(4);
      setKey(['1', '1', '2', '2']);
      const s = t.insert(KEY, OPEN);
      expect(t.hasInfoOf(s)).toBe(false);
      expect(t.infoOf(s)).toBeUndefined();
      t.setInfo(s, info);
      expect(t.hasInfoOf(s)).toBe(true);
      const got = t.infoOf(s);
      expect(got).toEqual(info);
      expect(got).not.toBe(info);
    },
  );

  test.each([[null], [undefined]])('setInfo(%p) clears it', (none) => {
    const t = new HtlcTable(4);
    setKey(['1', '1', '2', '2']);
    const s = t.insert(KEY, OPEN);
    t.setInfo(s, infos[2]);
    t.setInfo(s, none);
    expect(t.hasInfoOf(s)).toBe(false);
    expect(t.infoOf(s)).toBeUndefined();
  });

  test('records keep their own info', () => {
    const t = new HtlcTable(8);
    const slots = infos.map((info, k) => {
      setKey([String(k + 1), '0', '0', '0']);
      const s = t.insert(KEY, k % 2 ? OPEN : RECENT);
      t.setInfo(s, info);
      return s;
    });
    expect(slots.map((s) => t.infoOf(s))).toEqual(infos);
  });

  test('a freed slot reused by a new record does not keep the old info', () => {
    const t = new HtlcTable(2);
    setKey(['1', '1', '0', '0']);
    const a = t.insert(KEY, OPEN);
    t.setInfo(a, infos[2]);
    setKey(['1', '2', '0', '0']);
    const b = t.insert(KEY, OPEN);
    t.setInfo(b, infos[1]);
    t.remove(a);
    expect(t.listOf(a)).toBe(FREE);
    expect(findIds(t, ['1', '1', '0', '0'])).toBe(NONE);
    setKey(['3', '3', '0', '0']);
    const c = t.insert(KEY, RECENT);
    expect(c).toBe(a); // the slot was reused (no growth: capacity 2)
    expect(t.hasInfoOf(c)).toBe(false);
    expect(t.infoOf(c)).toBeUndefined();
    expect(t.infoOf(b)).toEqual(infos[1]);
    expect([findIds(t, ['3', '3', '9', '9']), findIds(t, ['1', '2', '0', '0'])]).toEqual([c, b]);
  });
});
