/**
 * Configuration end to end: how the built CLI finds lnd (SPEC "Connection
 * options": flag, then environment, then lnd.conf, then lnd's defaults), and
 * the usage (2) and configuration (3) errors of option values and lnd.conf.
 * Success runs read one scripted event (`--count 1`, exit 0).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { jsonLines, type CliResult } from './run-cli.js';
import {
  cli,
  expectExit,
  expectNoNodeWarnings,
  expectNoSecrets,
  oneErrorLine,
  pooled,
  startSimFixture,
  type SimFixture,
} from './sim-fixture.js';

let fx: SimFixture;
let closedPort: number;
const pool = pooled<CliResult>(4);
const results = new Map<string, Promise<CliResult>>();

const TS = '1714979289123456789';
const EVENT = {
  incoming_channel_id: '0',
  outgoing_channel_id: '0',
  incoming_htlc_id: '0',
  outgoing_htlc_id: '0',
  timestamp_ns: TS,
  event_type: 'SEND',
  forward_fail_event: {},
};

/** lnd directories made in beforeAll, each a copy of fx's with one change. */
const dirs = {} as Record<
  | 'closedConf'
  | 'anyAddr'
  | 'noMacaroons'
  | 'badLine'
  | 'badSection'
  | 'badQuote'
  | 'twoNets'
  | 'macVar'
  | 'macInvoice',
  string
>;
/** The malformed lnd.conf files and the line they break. */
const badConf: Record<string, number> = {};

interface Case {
  readonly name: string;
  readonly args: () => string[];
  readonly env?: () => Record<string, string>;
  readonly code: number;
  /** For failures: patterns of the one stderr line; for runs that exit 0, each pattern matches one of the `lines` stderr lines (default 1). */
  readonly says?: (() => RegExp | string)[];
  readonly lines?: number;
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const has = (s: () => string) => () => new RegExp(esc(s()));
const ok = (name: string, args: () => string[], env?: () => Record<string, string>): Case => ({
  name,
  args,
  env,
  code: 0,
});
const conf = (d: string) => path.join(d, 'lnd.conf');

const CASES: Case[] = [
  // ---- resolution (0) ----
  ok('--lnddir DIR --network regtest (rpclisten, tls.cert, readonly.macaroon from the dir)', () => [...fx.args]),
  ok('--lnddir DIR alone: the network from lnd.conf bitcoin.regtest=true', () => ['--lnddir', fx.paths.lnddir]),
  ok(
    'LNCLI_LNDDIR and LNCLI_NETWORK',
    () => [],
    () => ({ LNCLI_LNDDIR: fx.paths.lnddir, LNCLI_NETWORK: 'regtest' }),
  ),
  ok(
    'LNCLI_RPCSERVER, LNCLI_TLSCERTPATH, LNCLI_MACAROONPATH (no lnd.conf at all)',
    () => [],
    () => ({
      LNCLI_RPCSERVER: fx.node.rpcserver,
      LNCLI_TLSCERTPATH: fx.paths.tlsCertPath,
      LNCLI_MACAROONPATH: fx.paths.macaroonPaths.readonly,
    }),
  ),
  ok(
    'flags win over the environment',
    () => [
      '--rpcserver',
      fx.node.rpcserver,
      '--macaroonpath',
      fx.paths.macaroonPaths.readonly,
      '--tlscertpath',
      fx.paths.tlsCertPath,
    ],
    () => ({
      LNCLI_RPCSERVER: `127.0.0.1:${closedPort}`,
      LNCLI_TLSCERTPATH: '/nonexistent/tls.cert',
      LNCLI_MACAROONPATH: fx.paths.macaroonPaths.invoice,
    }),
  ),
  ok('--rpcserver overrides lnd.conf rpclisten', () => [
    '--lnddir',
    dirs.closedConf,
    '--network',
    'regtest',
    '--rpcserver',
    fx.node.rpcserver,
  ]),
  ok(
    'LNCLI_RPCSERVER overrides lnd.conf rpclisten',
    () => ['--lnddir', dirs.closedConf, '--network', 'regtest'],
    () => ({ LNCLI_RPCSERVER: fx.node.rpcserver }),
  ),
  ok("rpclisten=0.0.0.0:PORT dials localhost:PORT (a name in lnd's cert)", () => ['--lnddir', dirs.anyAddr]),
  ok('--configfile FILE with explicit cert and macaroon', () => [
    '--configfile',
    conf(dirs.closedConf),
    '--rpcserver',
    fx.node.rpcserver,
    '--tlscertpath',
    fx.paths.tlsCertPath,
    '--macaroonpath',
    fx.paths.macaroonPaths.readonly,
  ]),
  ok(
    'lnd.conf readonlymacaroonpath with $VAR expanded',
    () => ['--lnddir', dirs.macVar],
    () => ({ HTLC_E2E_MACDIR: fx.paths.macaroonDir }),
  ),
  {
    // Least privilege (issue 11): admin.macaroon works, with one warning at start.
    name: 'admin.macaroon works too; one warning: more than the tail needs, use readonly.macaroon or bake one',
    args: () => [...fx.args, '--macaroonpath', fx.paths.macaroonPaths.admin],
    code: 0,
    says: [
      () =>
        /^htlc-tail: warning: the macaroon .*admin\.macaroon grants more than htlc-tail needs .*readonly\.macaroon.*lncli bakemacaroon offchain:read info:read$/,
    ],
  },
  {
    // router.macaroon has offchain:read (the stream) but not info:read (GetNodeInfo, for aliases), and offchain:write.
    name: 'router.macaroon: the tail runs; one warning says aliases need info:read, one that it grants more than needed',
    args: () => [...fx.args, '--macaroonpath', fx.paths.macaroonPaths.router],
    code: 0,
    says: [
      () => /^htlc-tail: warning: cannot look up .*lacks info:read/,
      () => /^htlc-tail: warning: .*router\.macaroon grants more than htlc-tail needs \(offchain:write\)/,
    ],
    lines: 2,
  },
  // ---- what the resolution used shows in failures ----
  {
    name: 'without --rpcserver, lnd.conf rpclisten is dialed (a closed port: 4)',
    args: () => ['--lnddir', dirs.closedConf, '--network', 'regtest'],
    code: 4,
    says: [() => `127.0.0.1:${closedPort}`],
  },
  {
    name: 'lnd.conf readonlymacaroonpath is used (pointed at invoice.macaroon: 5)',
    args: () => ['--lnddir', dirs.macInvoice],
    code: 5,
    says: [() => /offchain:read/, () => /readonly\.macaroon/],
  },
  {
    name: 'lnd.conf no-macaroons=1 sends none; a node that wants one refuses (5)',
    args: () => ['--lnddir', dirs.noMacaroons],
    code: 5,
    says: [() => /macaroon/, () => /--macaroonpath/],
  },
  {
    name: 'LNCLI_MACAROONPATH is used (invoice.macaroon: 5)',
    args: () => [...fx.args],
    env: () => ({ LNCLI_MACAROONPATH: fx.paths.macaroonPaths.invoice }),
    code: 5,
    says: [() => /offchain:read/, has(() => fx.paths.macaroonPaths.invoice)],
  },
  {
    name: 'LNCLI_TLSCERTPATH is used (missing: 3, names the variable)',
    args: () => [...fx.args],
    env: () => ({ LNCLI_TLSCERTPATH: '/nonexistent/tls.cert' }),
    code: 3,
    says: [() => '/nonexistent/tls.cert', () => /LNCLI_TLSCERTPATH/],
  },
  {
    name: '--configfile that does not exist (3)',
    args: () => ['--configfile', path.join(fx.tmp, 'no-such-lnd.conf')],
    code: 3,
    says: [has(() => path.join(fx.tmp, 'no-such-lnd.conf')), () => /--configfile/],
  },
  // ---- malformed lnd.conf (3, names the file and the line) ----
  ...(['badLine', 'badSection', 'badQuote'] as const).map((k): Case => ({
    name: `malformed lnd.conf: ${k}`,
    args: () => ['--lnddir', dirs[k], '--network', 'regtest'],
    code: 3,
    says: [has(() => conf(dirs[k])), () => new RegExp(`(:|line )${badConf[k]}\\b`)],
  })),
  {
    name: 'lnd.conf with two networks (3, names both lines)',
    args: () => ['--lnddir', dirs.twoNets],
    code: 3,
    says: [has(() => conf(dirs.twoNets)), () => /bitcoin\.regtest/, () => /bitcoin\.testnet/],
  },
  // ---- bad option values (2) ----
  ...(
    [
      ['--format xml', ['--format', 'xml'], /--format/],
      ['-f xml', ['-f', 'xml'], /--format|-f/],
      ['--count 0', ['--count', '0'], /--count/],
      ['--count 1.5', ['--count', '1.5'], /--count/],
      ['--min-amount abc', ['--min-amount', 'abc'], /--min-amount/],
      ['--min-amount -5', ['--min-amount', '-5'], /--min-amount/],
      ['--min-amount 1.0001 (below a msat)', ['--min-amount', '1.0001'], /--min-amount/],
      ['--type bogus', ['--type', 'bogus'], /--type.*bogus|bogus.*--type/],
      ['--type send,bogus', ['--type', 'send,bogus'], /--type/],
      ['--event nope', ['--event', 'nope'], /--event/],
      ['--color rainbow', ['--color', 'rainbow'], /--color/],
      ['--channel above uint64', ['--channel', '18446744073709551616'], /--channel/],
      ['--network foonet', ['--network', 'foonet'], /--network/],
      ['--rpcserver not host:port', ['--rpcserver', 'a:b:c'], /--rpcserver/],
      ['--connect-timeout x', ['--connect-timeout', 'x'], /--connect-timeout/],
      ['unknown option', ['--bogus-option'], /--bogus-option/],
      ['missing option value', ['--lnddir'], /--lnddir/],
    ] as const
  ).map(([name, args, re]): Case => ({
    name: `usage: ${name}`,
    // With a working --lnddir, so only the bad value can fail.
    args: () => [...fx.args, ...args],
    code: 2,
    says: [() => re],
  })),
];

beforeAll(async () => {
  fx = await startSimFixture({ seed: 4, scenario: { steps: [{ send: EVENT }], then: 'hold' } });
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  closedPort = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));

  const original = await readFile(fx.paths.confPath, 'utf8');
  const variant = async (name: keyof typeof dirs, edit: (text: string) => string) => {
    const d = path.join(fx.tmp, `lnd-${name}`);
    await cp(fx.paths.lnddir, d, { recursive: true });
    await writeFile(conf(d), edit(original));
    dirs[name] = d;
  };
  const rpclisten = /^rpclisten=.*$/m;
  expect(original).toMatch(rpclisten);
  /** Appends a line under [Application Options]; returns its 1-based number. */
  const withLine = (name: string, line: string) => (text: string) => {
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.startsWith('rpclisten=')) + 1;
    lines.splice(at, 0, line);
    badConf[name] = at + 1;
    return lines.join('\n');
  };
  await Promise.all([
    variant('closedConf', (t) => t.replace(rpclisten, `rpclisten=127.0.0.1:${closedPort}`)),
    variant('anyAddr', (t) => t.replace(rpclisten, `rpclisten=0.0.0.0:${fx.node.port}`)),
    variant('badLine', withLine('badLine', 'this line has no equals sign')),
    variant('badSection', withLine('badSection', '[Application Options')),
    variant('badQuote', withLine('badQuote', 'alias="unterminated')),
    variant('twoNets', (t) => t + 'bitcoin.testnet=true\n'),
    variant('macVar', withLine('macVar', 'readonlymacaroonpath=$HTLC_E2E_MACDIR/readonly.macaroon')),
    variant('noMacaroons', withLine('noMacaroons', 'no-macaroons=1')),
    variant('macInvoice', withLine('macInvoice', `readonlymacaroonpath=${fx.paths.macaroonPaths.invoice}`)),
  ]);
  await mkdir(path.join(fx.tmp, 'empty-home'));

  for (const c of CASES) {
    results.set(
      c.name,
      pool(() =>
        cli(['-f', 'jsonl', '--count', '1', ...c.args()], {
          env: { HOME: path.join(fx.tmp, 'empty-home'), ...c.env?.() },
        }),
      ),
    );
  }
  await Promise.allSettled(results.values());
}, 180_000);

afterAll(async () => {
  await fx?.cleanup();
});

describe('configuration', () => {
  test.each(CASES.map((c) => [`${c.code} ${c.name}`, c] as const))('%s', async (_n, c) => {
    const r = await results.get(c.name)!;
    expectNoSecrets(r, fx.secrets);
    expectNoNodeWarnings(r.stderr);
    expectExit(r, c.code);
    if (c.code === 0) {
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: c.says ? expect.any(String) : '' });
      const lines = r.stderr.split('\n').filter((l) => l !== '');
      if (c.says) expect(lines).toHaveLength(c.lines ?? 1);
      if (c.says) for (const s of c.says) expect(lines.filter((l) => new RegExp(s()).test(l))).toHaveLength(1);
      expect(jsonLines(r.stdout)).toEqual([
        expect.objectContaining({ event: 'forward_fail', event_type: 'SEND', timestamp_ns: TS }),
      ]);
      return;
    }
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
      code: c.code,
      stdout: '',
      stderr: expect.any(String),
    });
    const line = oneErrorLine(r);
    for (const s of c.says ?? []) expect(line).toMatch(s());
  });
});
