/**
 * Every configuration, connection and refusal error, end to end: the built
 * CLI against real TLS and real macaroons, checking the exit code (SPEC "Exit
 * codes"), that stderr is one line naming the file, address or option (and
 * what to do), and that no macaroon hex of any macaroon used is printed.
 *
 * Two simulated nodes: `fx` (an ordinary node) and `other` (another node,
 * whose certificate lacks 127.0.0.1): its cert and macaroon are "another
 * node's" for `fx`.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { cp, mkdir, rm, writeFile, chmod } from 'node:fs/promises';
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
let other: SimFixture;
let closedPort: number;
const pool = pooled<CliResult>(4);
const results = new Map<string, Promise<CliResult>>();

const EVENT = {
  incoming_channel_id: '0',
  outgoing_channel_id: '0',
  incoming_htlc_id: '0',
  outgoing_htlc_id: '0',
  timestamp_ns: '1714979289123456789',
  event_type: 'FORWARD',
  forward_fail_event: {},
};

/** Paths the cases use, made in beforeAll. */
const p = {} as Record<
  | 'missing'
  | 'dir'
  | 'badPem'
  | 'notPem'
  | 'badMac'
  | 'emptyMac'
  | 'hexMac'
  | 'noCertDir'
  | 'unreadable'
  | 'otherCert'
  | 'otherMac',
  string
>;

interface Case {
  readonly name: string;
  readonly args: () => string[];
  readonly code: number;
  /** Every pattern must match the one stderr line. */
  readonly says: (() => RegExp | string)[];
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const has = (s: () => string) => () => new RegExp(esc(s()));
const rpc = () => ['--rpcserver', fx.node.rpcserver];
const cert = () => ['--tlscertpath', fx.paths.tlsCertPath];
const mac = (name: 'readonly' | 'invoice' | 'admin' | 'router' = 'readonly') => [
  '--macaroonpath',
  fx.paths.macaroonPaths[name],
];

const CASES: Case[] = [
  // ---- configuration (3) ----
  {
    name: 'missing cert (--tlscertpath)',
    args: () => [...rpc(), '--tlscertpath', p.missing, ...mac()],
    code: 3,
    says: [has(() => p.missing), () => /--tlscertpath/, () => /not found|no such file|missing/i],
  },
  {
    name: 'missing cert (tls.cert absent from --lnddir)',
    args: () => ['--lnddir', p.noCertDir, '--network', 'regtest'],
    code: 3,
    says: [has(() => path.join(p.noCertDir, 'tls.cert')), () => /--tlscertpath|--lnddir/],
  },
  {
    name: 'unreadable cert (a directory)',
    args: () => [...rpc(), '--tlscertpath', p.dir, ...mac()],
    code: 3,
    says: [has(() => p.dir), () => /--tlscertpath/],
  },
  {
    name: 'malformed cert (PEM armour, garbage inside)',
    args: () => [...rpc(), '--tlscertpath', p.badPem, ...mac()],
    code: 3,
    says: [has(() => p.badPem), () => /--tlscertpath/, () => /malformed|not a|cannot parse|invalid/i],
  },
  {
    name: 'malformed cert (not PEM at all)',
    args: () => [...rpc(), '--tlscertpath', p.notPem, ...mac()],
    code: 3,
    says: [has(() => p.notPem), () => /--tlscertpath/],
  },
  {
    name: 'missing macaroon (--macaroonpath)',
    args: () => [...rpc(), ...cert(), '--macaroonpath', p.missing],
    code: 3,
    says: [has(() => p.missing), () => /--macaroonpath/],
  },
  {
    name: 'missing macaroon (readonly.macaroon of a network lnd has no data for)',
    args: () => [...fx.args.slice(0, 2), '--network', 'testnet'],
    code: 3,
    says: [
      has(() => path.join(fx.paths.lnddir, 'data', 'chain', 'bitcoin', 'testnet', 'readonly.macaroon')),
      () => /--macaroonpath|--network/,
    ],
  },
  {
    name: 'malformed macaroon (text)',
    args: () => [...rpc(), ...cert(), '--macaroonpath', p.badMac],
    code: 3,
    says: [has(() => p.badMac), () => /--macaroonpath/, () => /macaroon/],
  },
  {
    name: 'malformed macaroon (empty file)',
    args: () => [...rpc(), ...cert(), '--macaroonpath', p.emptyMac],
    code: 3,
    says: [has(() => p.emptyMac), () => /--macaroonpath/],
  },
  {
    name: 'macaroon path is a directory',
    args: () => [...rpc(), ...cert(), '--macaroonpath', p.dir],
    code: 3,
    says: [has(() => p.dir), () => /--macaroonpath/],
  },
  // ---- connection (4) ----
  {
    name: 'cert of another node',
    args: () => [...rpc(), '--tlscertpath', p.otherCert, ...mac()],
    code: 4,
    says: [has(() => fx.node.rpcserver), () => /--tlscertpath/, () => /cert/i],
  },
  {
    name: 'cert without the target name (127.0.0.1 not in it)',
    args: () => [...other.args],
    code: 4,
    says: [has(() => other.node.rpcserver), () => /--tls-server-name localhost/, () => /does not list 127\.0\.0\.1/],
  },
  {
    name: 'unreachable port',
    args: () => ['--rpcserver', `127.0.0.1:${closedPort}`, ...cert(), ...mac()],
    code: 4,
    says: [() => new RegExp(`127\\.0\\.0\\.1:${closedPort}`), () => /--rpcserver|refused|reach/i],
  },
  {
    name: 'not lnd: a TLS handshake with a plain TCP port that closes',
    args: () => ['--rpcserver', `127.0.0.1:${plainPort}`, ...cert(), ...mac()],
    code: 4,
    says: [() => new RegExp(`127\\.0\\.0\\.1:${plainPort}`)],
  },
  // ---- refused by lnd (5) ----
  {
    name: 'invoice.macaroon lacks offchain:read',
    args: () => [...rpc(), ...cert(), ...mac('invoice')],
    code: 5,
    says: [() => /offchain:read/, () => /readonly\.macaroon/, has(() => fx.paths.macaroonPaths.invoice)],
  },
  {
    name: "a foreign macaroon (another node's readonly.macaroon)",
    args: () => [...rpc(), ...cert(), '--macaroonpath', p.otherMac],
    code: 5,
    says: [has(() => p.otherMac), () => /macaroon/, () => /--macaroonpath|another node|this node/],
  },
];

let plainPort: number;
let plainServer: net.Server;

beforeAll(async () => {
  const hold = { steps: [{ send: EVENT }], then: 'hold' as const };
  [fx, other] = await Promise.all([
    startSimFixture({ seed: 2, scenario: hold }),
    startSimFixture({ seed: 3, scenario: hold, cert: { ipAddresses: [] } }),
  ]);
  const t = fx.tmp;
  p.missing = path.join(t, 'nope', 'missing.file');
  p.dir = path.join(t, 'a-directory');
  await mkdir(p.dir);
  p.badPem = path.join(t, 'bad.cert');
  await writeFile(p.badPem, '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n');
  p.notPem = path.join(t, 'notpem.cert');
  await writeFile(p.notPem, 'this is not a certificate\n');
  p.badMac = path.join(t, 'bad.macaroon');
  await writeFile(p.badMac, 'hello, I am not a macaroon\n');
  p.emptyMac = path.join(t, 'empty.macaroon');
  await writeFile(p.emptyMac, '');
  p.unreadable = path.join(t, 'unreadable.cert');
  await writeFile(p.unreadable, fx.node.certPem);
  await chmod(p.unreadable, 0o000);
  p.otherCert = other.paths.tlsCertPath;
  p.otherMac = other.paths.macaroonPaths.readonly;
  // An lnddir like fx's, without tls.cert.
  p.noCertDir = path.join(t, 'lnd-nocert');
  await cp(fx.paths.lnddir, p.noCertDir, { recursive: true });
  await rm(path.join(p.noCertDir, 'tls.cert'));

  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  closedPort = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  plainServer = net.createServer((sock) => sock.end());
  await new Promise<void>((r) => plainServer.listen(0, '127.0.0.1', r));
  plainPort = (plainServer.address() as net.AddressInfo).port;

  for (const c of CASES)
    results.set(
      c.name,
      pool(() => cli(['-f', 'jsonl', ...c.args()])),
    );
  await Promise.allSettled(results.values());
}, 180_000);

afterAll(async () => {
  plainServer?.close();
  await Promise.all([fx?.cleanup(), other?.cleanup()]);
});

const allSecrets = () => [...fx.secrets, ...other.secrets];

function expectCleanFailure(r: CliResult, code: number): string {
  expectExit(r, code);
  expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
    code,
    stdout: '',
    stderr: expect.any(String),
  });
  const line = oneErrorLine(r);
  expectNoSecrets(r, allSecrets());
  expectNoNodeWarnings(r.stderr);
  return line;
}

describe('errors: one line, the documented exit code, no secret', () => {
  test.each(CASES.map((c) => [`${c.code} ${c.name}`, c] as const))('%s', async (_n, c) => {
    const r = await results.get(c.name)!;
    const line = expectCleanFailure(r, c.code);
    for (const s of c.says) expect(line).toMatch(s());
  });

  // root reads every file whatever its mode: then the directory case above stands in for it.
  const asRoot = process.getuid?.() === 0;
  (asRoot ? test.skip : test)(
    'unreadable cert (mode 000) is 3 and names the file',
    async () => {
      const r = await cli(['--rpcserver', fx.node.rpcserver, '--tlscertpath', p.unreadable, ...mac()]);
      const line = expectCleanFailure(r, 3);
      expect(line).toContain(p.unreadable);
      expect(line).toMatch(/--tlscertpath/);
    },
    90_000,
  );
});

describe('the --tls-server-name remedy', () => {
  test('the name the message suggests works: --tls-server-name localhost (exit 0)', async () => {
    const r = await cli([...other.args, '--tls-server-name', 'localhost', '-f', 'jsonl', '--count', '1']);
    expectExit(r, 0);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(jsonLines(r.stdout)).toEqual([
      expect.objectContaining({ event: 'forward_fail', timestamp_ns: EVENT.timestamp_ns }),
    ]);
    expectNoSecrets(r, allSecrets());
  }, 90_000);
});

describe('wallet locked', () => {
  test('5, the message says unlock or --wait; unlocked again, the same command works', async () => {
    fx.node.setWalletState('LOCKED');
    let r: CliResult;
    try {
      r = await cli([...fx.args, '-f', 'jsonl', '--count', '1']);
    } finally {
      fx.node.setWalletState('SERVER_ACTIVE');
    }
    const line = expectCleanFailure(r, 5);
    expect(line).toMatch(/locked/);
    expect(line).toMatch(/--wait/);
    expect(line).toContain(fx.node.rpcserver);
    const ok = await cli([...fx.args, '-f', 'jsonl', '--count', '1']);
    expectExit(ok, 0);
    expect({ code: ok.code, stderr: ok.stderr, lines: jsonLines(ok.stdout).length }).toEqual({
      code: 0,
      stderr: '',
      lines: 1,
    });
  }, 150_000);
});
