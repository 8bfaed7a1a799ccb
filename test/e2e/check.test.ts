/**
 * `htlc-tail check` end to end: the built CLI against simulated lnd nodes
 * (real TLS, real gRPC, real macaroons), one line per step on stdout, the
 * exit code of the first failure, every failure path, and never a macaroon's
 * hex in any output. Build first: `npx tsc -p tsconfig.json`.
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  DEFAULT_MACAROON_PERMISSIONS,
  mintMacaroon,
  parseMacaroon,
  timeBeforeCaveat,
} from '../../src/macaroon/index.js';
import { startSimNode, type LndDirPaths, type SimNodeHandle } from '@htlc-tail/lnd-sim';
import { runCli, type CliResult } from './run-cli.js';

const STEPS = ['config', 'cert', 'macaroon', 'tcp', 'tls', 'lnd ready', 'GetInfo', 'subscribe'] as const;
type StepId = (typeof STEPS)[number];
type Status = 'ok' | 'warn' | 'FAIL' | 'skip';

let node: SimNodeHandle;
/** A second node whose cert lists no IP (only names such as localhost), like lnd reached by an address it was not told about. */
let noIpNode: SimNodeHandle;
let tmp: string;
let main: LndDirPaths;
let noIp: LndDirPaths;
/** main's lnddir without tls.cert. */
let noCertDir: string;
/** an lnddir whose lnd.conf has a malformed line. */
let badConfDir: string;
let expiredMacaroon: string;
let foreignMacaroon: string;
const secrets: Buffer[] = [];
const outputs: CliResult[] = [];

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function check(args: string[]): Promise<CliResult> {
  const r = await runCli(['check', '--connect-timeout', '5', ...args], { env: { HOME: '/nonexistent-home' } });
  outputs.push(r);
  return r;
}

/** The step lines of stdout: status per step, in order, and the full line. */
function stepLines(stdout: string): Array<{ status: Status; id: StepId; line: string }> {
  const lines = stdout.split('\n').filter((l) => l !== '');
  const found = lines.slice(0, STEPS.length).map((line) => {
    const m = /^(ok|warn|FAIL|skip) +(config|cert|macaroon|tcp|tls|lnd ready|GetInfo|subscribe) {2}/.exec(line);
    if (!m) throw new Error(`not a step line: ${line}`);
    return { status: m[1] as Status, id: m[2] as StepId, line };
  });
  expect(found.map((s) => s.id)).toEqual([...STEPS]);
  expect(lines).toHaveLength(STEPS.length + 1); // then the result line
  return found;
}

const statusOf = (stdout: string) => Object.fromEntries(stepLines(stdout).map((s) => [s.id, s.status]));
const lineOf = (stdout: string, id: StepId) => stepLines(stdout).find((s) => s.id === id)!.line;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'htlc-check-'));
  node = await startSimNode({ seed: 21 });
  noIpNode = await startSimNode({ seed: 22, cert: { ipAddresses: [] } });
  main = await node.writeLndDir(path.join(tmp, 'main'));
  noIp = await noIpNode.writeLndDir(path.join(tmp, 'noip'));

  noCertDir = path.join(tmp, 'nocert');
  await node.writeLndDir(noCertDir);
  await rm(path.join(noCertDir, 'tls.cert'));

  badConfDir = path.join(tmp, 'badconf');
  await mkdir(badConfDir);
  await writeFile(
    path.join(badConfDir, 'lnd.conf'),
    '[Application Options]\nrpclisten=127.0.0.1:10009\nthis line has no equals sign\n',
  );
  await copyFile(main.tlsCertPath, path.join(badConfDir, 'tls.cert'));

  const expired = node.mintMacaroon(DEFAULT_MACAROON_PERMISSIONS.readonly, [
    timeBeforeCaveat(new Date(Date.now() - 3_600_000)),
  ]);
  const foreign = mintMacaroon({ rootKey: Buffer.alloc(32, 0x42), permissions: DEFAULT_MACAROON_PERMISSIONS.readonly });
  expiredMacaroon = path.join(tmp, 'expired.macaroon');
  foreignMacaroon = path.join(tmp, 'foreign.macaroon');
  await writeFile(expiredMacaroon, expired);
  await writeFile(foreignMacaroon, foreign);
  secrets.push(...Object.values(node.macaroons), ...Object.values(noIpNode.macaroons), expired, foreign);
});

afterAll(async () => {
  await node?.stop();
  await noIpNode?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('htlc-tail check', () => {
  test('all ok: every step passes, exit 0, the report on stdout and nothing on stderr', async () => {
    const r = await check(['--lnddir', main.lnddir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(Object.values(statusOf(r.stdout))).toEqual(STEPS.map(() => 'ok'));
    expect(lineOf(r.stdout, 'config')).toContain(`lnd.conf ${main.confPath}; network regtest (lnd.conf:`);
    expect(lineOf(r.stdout, 'config')).toContain(`rpcserver ${node.rpcserver} (lnd.conf:`);
    expect(lineOf(r.stdout, 'cert')).toMatch(
      /EC P-256, self-signed, valid until \d{4}-\d\d-\d\d .*IPs 127\.0\.0\.1, ::1; covers 127\.0\.0\.1$/,
    );
    expect(lineOf(r.stdout, 'macaroon')).toContain(
      `${main.macaroonPaths.readonly}: address,info,invoices,macaroon,message,offchain,onchain,peers,signer:read; no caveats; grants offchain:read, info:read`,
    );
    expect(lineOf(r.stdout, 'lnd ready')).toMatch(/SERVER_ACTIVE/);
    expect(lineOf(r.stdout, 'GetInfo')).toMatch(
      new RegExp(`alias "${node.node.alias}", lnd \\S+, synced to chain, block ${node.node.blockHeight}, regtest$`),
    );
    expect(lineOf(r.stdout, 'subscribe')).toMatch(/lnd sent subscribed_event/);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe(`ready: htlc-tail can tail lnd at ${node.rpcserver}`);
  });

  test('the remedy for a cert lacking the IP works: --tls-server-name with a name it lists', async () => {
    const r = await check(['--lnddir', noIp.lnddir, '--tls-server-name', 'localhost', '--debug']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(Object.values(statusOf(r.stdout))).toEqual(STEPS.map(() => 'ok'));
    expect(lineOf(r.stdout, 'cert')).toMatch(/no IPs; covers localhost$/);
  });

  test('an lndconnect URI (cert and macaroon in it) from the environment: exit 0', async () => {
    const cert = new X509Certificate(node.certPem).raw.toString('base64url');
    const uri = `lndconnect://127.0.0.1:${node.port}?cert=${cert}&macaroon=${node.macaroons.readonly.toString('base64url')}`;
    const r = await runCli(['check'], { env: { HOME: '/nonexistent-home', HTLC_TAIL_LNDCONNECT: uri } });
    outputs.push(r);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(Object.values(statusOf(r.stdout))).toEqual(STEPS.map(() => 'ok'));
    expect(lineOf(r.stdout, 'config')).toContain(`rpcserver ${node.rpcserver} (HTLC_TAIL_LNDCONNECT)`);
    expect(lineOf(r.stdout, 'cert')).toMatch(/^ok +cert +HTLC_TAIL_LNDCONNECT URI: EC P-256/);
    expect(lineOf(r.stdout, 'macaroon')).toMatch(/^ok +macaroon +HTLC_TAIL_LNDCONNECT URI: address,info,/);
  });

  test('a macaroon without info:read: warning, still exit 0', async () => {
    const r = await check(['--lnddir', main.lnddir, '--macaroonpath', main.macaroonPaths.router]);
    expect(r.code).toBe(0);
    expect(statusOf(r.stdout)).toMatchObject({ macaroon: 'warn', GetInfo: 'warn', subscribe: 'ok' });
    expect(lineOf(r.stdout, 'GetInfo')).toMatch(/denied GetInfo: the macaroon .*router\.macaroon lacks info:read/);
    expect(r.stdout).toMatch(/\nready: htlc-tail can tail lnd at .* \(2 warnings\)\n$/);
  });

  type Failure = [
    name: string,
    args: () => Promise<string[]> | string[],
    code: number,
    failed: StepId,
    line: RegExp,
    others: Partial<Record<StepId, Status>>,
  ];
  const failures: Failure[] = [
    [
      'missing cert file',
      () => ['--lnddir', main.lnddir, '--tlscertpath', path.join(tmp, 'nope', 'tls.cert')],
      3,
      'cert',
      /TLS cert not found: .*nope\/tls\.cert; set --tlscertpath/,
      { macaroon: 'ok', tcp: 'ok', tls: 'skip', subscribe: 'skip' },
    ],
    [
      "no tls.cert in the lnddir (the system roots cannot verify lnd's own cert)",
      () => ['--lnddir', noCertDir, '--debug'],
      3,
      'tls',
      /TLS cert not found: .*nocert\/tls\.cert .*set --tlscertpath/,
      { cert: 'warn', tcp: 'ok', 'lnd ready': 'skip' },
    ],
    [
      'malformed lnd.conf',
      () => ['--lnddir', badConfDir],
      3,
      'config',
      /badconf\/lnd\.conf:3: malformed line, expected key=value/,
      { cert: 'skip', macaroon: 'skip', tcp: 'skip', subscribe: 'skip' },
    ],
    [
      'cert lacking the name dialed',
      () => ['--lnddir', noIp.lnddir],
      4,
      'cert',
      /no IPs; it does not cover the host 127\.0\.0\.1; pass --tls-server-name localhost .*tlsextraip=127\.0\.0\.1/,
      { tcp: 'ok', tls: 'skip', subscribe: 'skip' },
    ],
    [
      'unreachable port',
      async () => ['--lnddir', main.lnddir, '--rpcserver', `127.0.0.1:${await freePort()}`],
      4,
      'tcp',
      /cannot reach 127\.0\.0\.1:\d+ \(connection refused\)/,
      { cert: 'ok', macaroon: 'ok', tls: 'skip', 'lnd ready': 'skip' },
    ],
    [
      'cert of another node',
      () => ['--lnddir', main.lnddir, '--tlscertpath', noIp.tlsCertPath, '--tls-server-name', 'localhost', '--debug'],
      4,
      'tls',
      /presented a certificate that .*noip\/tls\.cert does not verify .*point --tlscertpath at this node's current tls\.cert/,
      { cert: 'ok', tcp: 'ok', 'lnd ready': 'skip', subscribe: 'skip' },
    ],
    [
      'invoice macaroon',
      () => ['--lnddir', main.lnddir, '--macaroonpath', main.macaroonPaths.invoice],
      5,
      'macaroon',
      /invoice\.macaroon: address,invoices:read,write onchain:read; no caveats; it lacks offchain:read.*use readonly\.macaroon/,
      { tls: 'ok', 'lnd ready': 'ok', GetInfo: 'skip', subscribe: 'skip' },
    ],
    [
      'expired macaroon',
      () => ['--lnddir', main.lnddir, '--macaroonpath', expiredMacaroon],
      5,
      'macaroon',
      /caveats: time-before \S+ \(expired\); expired .*bake a new one/,
      { 'lnd ready': 'ok', subscribe: 'skip' },
    ],
    [
      'foreign macaroon (refused by lnd at the subscription)',
      () => ['--lnddir', main.lnddir, '--macaroonpath', foreignMacaroon, '--debug'],
      5,
      'subscribe',
      /rejected the macaroon .*foreign\.macaroon \(verification failed: signature mismatch after caveat verification\): it belongs to another node/,
      { macaroon: 'ok', 'lnd ready': 'ok', GetInfo: 'warn' },
    ],
  ];

  test.each(failures.map((f) => [`${f[0]}: exit ${f[2]}`, ...f.slice(1)] as Failure))(
    '%s',
    async (_name, args, code, failed, line, others) => {
      const r = await check(await args());
      expect(r.code).toBe(code);
      const st = statusOf(r.stdout);
      // The failing step is the first failure; every step is listed.
      expect(Object.entries(st).find(([, s]) => s === 'FAIL')?.[0]).toBe(failed);
      expect(lineOf(r.stdout, failed)).toMatch(line);
      expect(st).toMatchObject(others);
      expect(r.stdout.trimEnd().split('\n').pop()).toBe(`not ready: ${failed} failed (exit ${code})`);
      // Steps are the product: on stdout. stderr holds at most --debug traces, never a line of the report.
      expect(r.stderr).not.toMatch(/^(ok|FAIL|skip|warn) /m);
    },
  );

  test('wallet locked: exit 5 from lnd ready, the calls that need it skipped', async () => {
    node.setWalletState('LOCKED');
    let r: CliResult;
    try {
      r = await check(['--lnddir', main.lnddir]);
    } finally {
      node.setWalletState('SERVER_ACTIVE');
    }
    expect(r.code).toBe(5);
    expect(statusOf(r.stdout)).toMatchObject({ tls: 'ok', 'lnd ready': 'FAIL', GetInfo: 'skip', subscribe: 'skip' });
    expect(lineOf(r.stdout, 'lnd ready')).toMatch(
      /wallet locked \(LOCKED\); unlock it \(lncli unlock\), or run htlc-tail with --wait/,
    );
    expect(lineOf(r.stdout, 'subscribe')).toBe('skip  subscribe  skipped: lnd ready failed');
  });

  test('no macaroon bytes or hex in any output above', () => {
    expect(outputs.length).toBeGreaterThanOrEqual(14);
    const all = outputs
      .map((o) => `${o.stdout}\n${o.stderr}`)
      .join('\n')
      .toLowerCase();
    for (const mac of secrets) {
      const m = parseMacaroon(mac);
      for (const secret of [mac, Buffer.from(m.signature), Buffer.from(m.identifier.nonce)]) {
        expect(all).not.toContain(secret.toString('hex').slice(0, 24));
        expect(all).not.toContain(secret.toString('base64').slice(0, 24).toLowerCase());
        expect(all).not.toContain(secret.toString('base64url').slice(0, 24).toLowerCase());
      }
    }
    expect(all).not.toMatch(/[0-9a-f]{32,}/);
  });
});
