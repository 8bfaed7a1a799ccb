/**
 * The step runner (order, skips, exit code of the first failure), the lines
 * it prints, and the pure judgements of the network steps.
 */
import { describe, expect, test } from '@jest/globals';
import { checkExitCode, runSteps } from '../../src/check/runner.js';
import { formatResultLine, formatStepLine } from '../../src/check/format.js';
import { fail, ok, warn, type Step, type StepOutcome, type StepReport } from '../../src/check/types.js';
import { walletStateOutcome } from '../../src/check/node-state.js';
import { nodeInfoOutcome } from '../../src/check/node-info.js';
import { subscriptionOutcome } from '../../src/check/subscription.js';
import { shortSource } from '../../src/check/config-summary.js';
import { configError, connectionError } from '../../src/errors.js';
import { createColorizer, PLAIN_COLORIZER } from '../../src/format/colorizer.js';
import type { HtlcEvent } from '../../src/events/model.js';

type Plan = Record<string, { needs?: string[]; outcome: StepOutcome | (() => never) }>;

function steps(plan: Plan): Step<string[]>[] {
  return Object.entries(plan).map(([id, p]) => ({
    id,
    needs: p.needs ?? [],
    run(ran: string[]) {
      ran.push(id);
      return typeof p.outcome === 'function' ? p.outcome() : p.outcome;
    },
  }));
}

async function run(plan: Plan): Promise<{ reports: StepReport[]; ran: string[]; code: number }> {
  const ran: string[] = [];
  const seen: string[] = [];
  const reports = await runSteps(steps(plan), ran, { onReport: (r) => seen.push(r.id) });
  expect(seen).toEqual(Object.keys(plan)); // reported in order, each once
  return { reports, ran, code: checkExitCode(reports) };
}

describe('runSteps and the exit code', () => {
  test.each<[string, Plan, number, string[]]>([
    ['everything ok', { a: { outcome: ok('x') }, b: { needs: ['a'], outcome: ok('y') } }, 0, ['ok', 'ok']],
    ['warnings do not fail', { a: { outcome: warn('x') }, b: { needs: ['a'], outcome: ok('y') } }, 0, ['warn', 'ok']],
    [
      'the first failure decides, later independent failures still run',
      { a: { outcome: ok('x') }, b: { outcome: fail(4, 'down') }, c: { outcome: fail(5, 'refused') } },
      4,
      ['ok', 'fail', 'fail'],
    ],
    [
      'a failure skips what needs it, directly or not',
      {
        a: { outcome: fail(3, 'bad conf') },
        b: { needs: ['a'], outcome: ok('never') },
        c: { needs: ['b'], outcome: ok('never') },
      },
      3,
      ['fail', 'skip', 'skip'],
    ],
    [
      'a step needing a warned step runs',
      { a: { outcome: warn('meh') }, b: { needs: ['a'], outcome: fail(5, 'no') } },
      5,
      ['warn', 'fail'],
    ],
    [
      'a thrown HtlcTailError is a failure with its code',
      {
        a: {
          outcome: () => {
            throw configError('lnd.conf:3: malformed line');
          },
        },
        b: { outcome: fail(4, 'x') },
      },
      3,
      ['fail', 'fail'],
    ],
    [
      'anything else thrown is a bug: exit 1',
      {
        a: {
          outcome: () => {
            throw new TypeError('oops');
          },
        },
      },
      1,
      ['fail'],
    ],
  ])('%s', async (_n, plan, code, statuses) => {
    const r = await run(plan);
    expect(r.code).toBe(code);
    expect(r.reports.map((x) => x.status)).toEqual(statuses);
  });

  test('a skipped step names the failed step at the root, and is not run', async () => {
    const r = await run({
      a: { outcome: ok('') },
      b: { needs: ['a'], outcome: fail(4, 'tcp down') },
      c: { needs: ['b'], outcome: ok('') },
      d: { needs: ['a', 'c'], outcome: ok('') },
    });
    expect(r.ran).toEqual(['a', 'b']);
    expect(r.reports[2]).toEqual({ id: 'c', status: 'skip', detail: 'skipped: b failed', skippedBecause: 'b' });
    expect(r.reports[3]).toEqual({ id: 'd', status: 'skip', detail: 'skipped: b failed', skippedBecause: 'b' });
  });

  test('errors: HtlcTailError message kept on one line; a bug says so', async () => {
    const r = await run({
      a: {
        outcome: () => {
          throw connectionError('cannot reach\n  lnd');
        },
      },
      b: {
        outcome: () => {
          throw new Error('boom');
        },
      },
    });
    expect(r.reports[0]).toMatchObject({ status: 'fail', exitCode: 4, detail: 'cannot reach lnd' });
    expect(r.reports[1]).toMatchObject({ status: 'fail', exitCode: 1 });
    expect(r.reports[1]!.detail).toMatch(/^internal error: boom \(this is a bug; run with --debug for details\)$/);
  });

  test('a need on a later or unknown step is a programming error', async () => {
    await expect(runSteps(steps({ a: { needs: ['z'], outcome: ok('') } }), [])).rejects.toThrow(/needs z/);
  });

  test('no reports, no failure: 0', () => {
    expect(checkExitCode([])).toBe(0);
  });
});

describe('lines', () => {
  const reports: StepReport[] = [
    { id: 'config', status: 'ok', detail: 'lnd.conf /x' },
    { id: 'lnd ready', status: 'fail', detail: 'wallet locked (LOCKED)', remedy: 'unlock it', exitCode: 5 },
    { id: 'GetInfo', status: 'skip', detail: 'skipped: lnd ready failed', skippedBecause: 'lnd ready' },
    { id: 'cert', status: 'warn', detail: 'alias "\u001b[31mevil"' },
  ];

  test('aligned columns, remedy after the detail, plain without colour', () => {
    expect(reports.map((r) => formatStepLine(r, 9, PLAIN_COLORIZER))).toEqual([
      'ok    config     lnd.conf /x',
      'FAIL  lnd ready  wallet locked (LOCKED); unlock it',
      'skip  GetInfo    skipped: lnd ready failed',
      'warn  cert       alias "\\x1b[31mevil"',
    ]);
  });

  test('colour only when enabled; the status word is painted, the text sanitized', () => {
    const line = formatStepLine(reports[1]!, 9, createColorizer(true));
    expect(line).toContain('\u001b[');
    expect(line.replace(/\u001b\[[0-9;]*m/g, '')).toBe('FAIL  lnd ready  wallet locked (LOCKED); unlock it');
    expect(formatStepLine(reports[3]!, 9, createColorizer(true))).not.toContain('\u001b[31mevil');
  });

  test('result line', () => {
    expect(formatResultLine(reports, '127.0.0.1:10009', PLAIN_COLORIZER)).toBe('not ready: lnd ready failed (exit 5)');
    expect(formatResultLine([reports[0]!], '127.0.0.1:10009', PLAIN_COLORIZER)).toBe(
      'ready: htlc-tail can tail lnd at 127.0.0.1:10009',
    );
    expect(formatResultLine([reports[0]!, reports[3]!], 'h:1', PLAIN_COLORIZER)).toBe(
      'ready: htlc-tail can tail lnd at h:1 (1 warning)',
    );
  });
});

describe('lnd ready: wallet states', () => {
  test.each<[string, StepOutcome['status'], number | undefined, RegExp]>([
    ['SERVER_ACTIVE', 'ok', undefined, /fully started/],
    ['RPC_ACTIVE', 'warn', undefined, /still starting its server/],
    ['UNLOCKED', 'fail', 5, /still starting up.*--wait/],
    ['LOCKED', 'fail', 5, /wallet locked.*lncli unlock.*--wait/],
    ['NON_EXISTING', 'fail', 5, /no wallet yet.*lncli create.*--wait/],
    ['WAITING_TO_START', 'fail', 5, /waiting to start.*--wait/],
    ['42', 'warn', undefined, /wallet state 42, unknown/],
  ])('%s → %s', (state, status, code, pattern) => {
    const o = walletStateOutcome(state);
    expect(o.status).toBe(status);
    if (o.status === 'fail') expect(o.exitCode).toBe(code);
    expect(`${o.detail}; ${o.remedy ?? ''}`).toMatch(pattern);
  });
});

describe('GetInfo', () => {
  const info = {
    alias: 'bob',
    identityPubkey: '02'.padEnd(66, 'a'),
    version: '0.18.4-beta commit=v0.18.4-beta',
    blockHeight: 840000,
    syncedToChain: true,
    network: 'regtest',
  };
  test.each<[string, Partial<typeof info>, StepOutcome['status'], RegExp]>([
    ['synced, same network', {}, 'ok', /^alias "bob", lnd 0\.18\.4-beta, synced to chain, block 840000, regtest$/],
    ['not synced', { syncedToChain: false }, 'warn', /NOT synced to chain/],
    [
      'another network',
      { network: 'testnet' },
      'warn',
      /but the network here is regtest \(lnd\.conf:9 bitcoin\.regtest\).*-n testnet/,
    ],
  ])('%s', (_n, over, status, pattern) => {
    const o = nodeInfoOutcome({ ...info, ...over }, { network: 'regtest', source: 'lnd.conf:9 bitcoin.regtest' });
    expect(o.status).toBe(status);
    expect([o.detail, o.remedy].filter(Boolean).join('; ')).toMatch(pattern);
    expect(o.detail).not.toContain(info.identityPubkey);
  });

  test('another network is no concern when the macaroon was not found by network (given, or from lndconnect)', () => {
    expect(nodeInfoOutcome({ ...info, network: 'testnet' }).status).toBe('ok');
  });
});

describe('subscription answers', () => {
  const ctx = {
    address: '127.0.0.1:10009',
    macaroonSource: '/m/x.macaroon',
    certSource: '/l/tls.cert',
    call: 'SubscribeHtlcEvents',
    permission: 'offchain:read',
  };
  const ev = (event: HtlcEvent['event']) => ({ event }) as HtlcEvent;
  test.each<[string, Parameters<typeof subscriptionOutcome>[0], StepOutcome['status'], number | undefined, RegExp]>([
    ['subscribed_event', { kind: 'event', event: ev('subscribed') }, 'ok', undefined, /lnd sent subscribed_event/],
    ['an event from an older lnd', { kind: 'event', event: ev('forward') }, 'ok', undefined, /first event forward/],
    ['silence', { kind: 'timeout', headers: false }, 'warn', undefined, /no answer within 2 s.*before 0\.16/],
    [
      'permission denied',
      { kind: 'status', status: { code: 2, details: 'permission denied' } },
      'fail',
      5,
      /lacks offchain:read; readonly\.macaroon/,
    ],
    [
      'foreign macaroon',
      {
        kind: 'status',
        status: { code: 2, details: 'verification failed: signature mismatch after caveat verification' },
      },
      'fail',
      5,
      /belongs to another node/,
    ],
    [
      'expired',
      { kind: 'status', status: { code: 2, details: 'macaroon has expired' } },
      'fail',
      5,
      /has expired: bake a new one/,
    ],
    [
      'locked meanwhile',
      { kind: 'status', status: { code: 2, details: 'wallet locked, unlock it to enable full RPC access' } },
      'fail',
      5,
      /wallet locked/,
    ],
    [
      'unreachable',
      { kind: 'status', status: { code: 14, details: 'No connection established. Last error: connect ECONNREFUSED' } },
      'fail',
      4,
      /connection refused/,
    ],
    [
      'lnd shutting down',
      { kind: 'status', status: { code: 2, details: 'htlc event subscription terminated' } },
      'fail',
      4,
      /ended the stream/,
    ],
    ['ended at once', { kind: 'status', status: { code: 0, details: '' } }, 'fail', 5, /at once, without an event/],
  ])('%s', (_n, answer, status, code, pattern) => {
    const o = subscriptionOutcome(answer, ctx, 2000);
    expect(o.status).toBe(status);
    if (o.status === 'fail') expect(o.exitCode).toBe(code);
    expect(`${o.detail}; ${o.remedy ?? ''}`).toMatch(pattern);
  });
});

test('shortSource names lines of the lnd.conf shown', () => {
  expect(shortSource('/h/.lnd/lnd.conf:12 (rpclisten)', '/h/.lnd/lnd.conf')).toBe('lnd.conf:12 rpclisten');
  expect(shortSource('--rpcserver', '/h/.lnd/lnd.conf')).toBe('--rpcserver');
  expect(shortSource('/o/lnd.conf:1 (x)', null)).toBe('/o/lnd.conf:1 (x)');
});
