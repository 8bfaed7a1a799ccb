/**
 * Issue 11, item 7 (least privilege is visible) and `check --wait` (item 3),
 * end to end against the simulated node with lnd's macaroons: `check` warns,
 * without failing, when the macaroon grants more than the tail needs, naming
 * readonly.macaroon and `lncli bakemacaroon offchain:read info:read`; the tail
 * says it once on stderr at start; readonly.macaroon and a minimal baked one
 * draw no warning. `check --wait` waits for a locked wallet like the tail.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { jsonLines, runCli, type CliResult } from './run-cli.js';
import { cli, expectExit, expectNoSecrets, pooled, startSimFixture, type SimFixture } from './sim-fixture.js';

let fx: SimFixture;
const pool = pooled<CliResult>(3);
let minimal: string;
let withSend: string;

const ADVICE =
  /readonly\.macaroon \(--macaroonpath\), or bake one with only what the tail needs: lncli bakemacaroon offchain:read info:read/;
const stderrLines = (r: CliResult) => r.stderr.split('\n').filter((l) => l !== '');
const lineOf = (stdout: string, id: string) =>
  stdout.split('\n').find((l) => new RegExp(`^\\S+ +${id}  `).test(l)) ?? '';

beforeAll(async () => {
  fx = await startSimFixture({
    seed: 1,
    scenario: {
      steps: [
        {
          send: {
            incoming_channel_id: '0',
            outgoing_channel_id: '0',
            incoming_htlc_id: '0',
            outgoing_htlc_id: '0',
            timestamp_ns: '1714979289123456789',
            event_type: 'SEND',
            forward_fail_event: {},
          },
        },
      ],
      then: 'hold',
    } as never,
  });
  minimal = path.join(fx.tmp, 'minimal.macaroon');
  await writeFile(
    minimal,
    fx.node.mintMacaroon([
      { entity: 'offchain', action: 'read' },
      { entity: 'info', action: 'read' },
    ]),
  );
  withSend = path.join(fx.tmp, 'uri-send.macaroon');
  await writeFile(
    withSend,
    fx.node.mintMacaroon([
      { entity: 'offchain', action: 'read' },
      { entity: 'info', action: 'read' },
      { entity: 'uri', action: '/routerrpc.Router/SendPaymentV2' },
    ]),
  );
}, 60_000);

afterAll(async () => {
  await fx?.cleanup();
});

describe('check', () => {
  test('admin.macaroon: the macaroon step warns, check still passes (exit 0)', async () => {
    const r = await pool(() => cli(['check', ...fx.args, '--macaroonpath', fx.paths.macaroonPaths.admin]));
    expectExit(r, 0);
    const line = lineOf(r.stdout, 'macaroon');
    expect(line).toMatch(
      /^warn +macaroon +.*admin\.macaroon: .*it grants more than htlc-tail needs \(address:write, info:write, invoices:write, macaroon:generate and \d+ more\)/,
    );
    expect(line).toMatch(ADVICE);
    expect(r.stdout).toMatch(/\nready: htlc-tail can tail lnd at .* \(1 warning\)\n$/);
    expectNoSecrets(r, fx.secrets);
  });
  test('a uri: permission for a method the tail never calls: warned, named', async () => {
    const r = await pool(() => cli(['check', ...fx.args, '--macaroonpath', withSend]));
    expectExit(r, 0);
    expect(lineOf(r.stdout, 'macaroon')).toMatch(
      /^warn .*grants more than htlc-tail needs \(uri:\/routerrpc\.Router\/SendPaymentV2\)/,
    );
  });
  test.each([
    ['readonly.macaroon (the default)', () => []],
    ['a macaroon baked with offchain:read info:read', () => ['--macaroonpath', minimal]],
  ])('%s: ok, no warning', async (_n, extra) => {
    const r = await pool(() => cli(['check', ...fx.args, ...extra()]));
    expectExit(r, 0);
    expect(lineOf(r.stdout, 'macaroon')).toMatch(/^ok +macaroon/);
    expect(r.stdout).not.toMatch(/grants more than/);
  });
});

describe('the tail', () => {
  test('admin.macaroon: one warning on stderr at start, then the events as usual', async () => {
    const r = await pool(() =>
      cli([...fx.args, '-f', 'jsonl', '--count', '1', '--macaroonpath', fx.paths.macaroonPaths.admin]),
    );
    expectExit(r, 0);
    const lines = stderrLines(r);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^htlc-tail: warning: the macaroon .*admin\.macaroon grants more than htlc-tail needs \(.*\): a copy of it could change the node or move funds; use /,
    );
    expect(lines[0]).toMatch(ADVICE);
    expect(jsonLines(r.stdout)).toHaveLength(1);
    expectNoSecrets(r, fx.secrets);
  });
  test('from an lndconnect URI too', async () => {
    const cert = (await import('node:crypto')).X509Certificate;
    const der = new cert(fx.node.certPem).raw.toString('base64url');
    const uri = `lndconnect://${fx.node.rpcserver}?cert=${der}&macaroon=${fx.node.macaroons.admin.toString('base64url')}`;
    const r = await pool(() => cli(['-f', 'jsonl', '--count', '1', '--lndconnect', uri]));
    expectExit(r, 0);
    expect(stderrLines(r)).toEqual([
      expect.stringMatching(/^htlc-tail: warning: the macaroon --lndconnect URI grants more than htlc-tail needs/),
    ]);
    expectNoSecrets(r, fx.secrets);
  });
  test.each([
    ['readonly.macaroon (the default)', () => []],
    ['a macaroon baked with offchain:read info:read', () => ['--macaroonpath', minimal]],
  ])('%s: no warning, stderr empty', async (_n, extra) => {
    const r = await pool(() => cli([...fx.args, '-f', 'jsonl', '--count', '1', ...extra()]));
    expectExit(r, 0);
    expect(r.stderr).toBe('');
  });
  test("a macaroon that cannot subscribe gets lnd's refusal only (one line, exit 5)", async () => {
    const r = await pool(() =>
      cli([...fx.args, '-f', 'jsonl', '--count', '1', '--macaroonpath', fx.paths.macaroonPaths.invoice]),
    );
    expectExit(r, 5);
    expect(stderrLines(r)).toHaveLength(1);
    expect(r.stderr).not.toMatch(/grants more than/);
  });
});

describe('check --wait', () => {
  test('a locked wallet: one line on stderr while waiting, the report once it is unlocked, exit 0', async () => {
    fx.node.setWalletState('LOCKED');
    const unlock = setTimeout(() => fx.node.setWalletState('SERVER_ACTIVE'), 4000);
    try {
      const r = await runCli(['check', '--wait', ...fx.args], { timeoutMs: 60_000 });
      expectExit(r, 0);
      const lines = stderrLines(r);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^htlc-tail: waiting for lnd \(--wait\): lnd: wallet locked \(LOCKED\).*; next try in \d+\.\d s$/,
      );
      expect(lineOf(r.stdout, 'lnd ready')).toMatch(/^ok +lnd ready +wallet unlocked/);
      expect(r.stdout).toMatch(/\nready: htlc-tail can tail lnd at /);
    } finally {
      clearTimeout(unlock);
      fx.node.setWalletState('SERVER_ACTIVE');
    }
  }, 90_000);

  test('without --wait the same node is "not ready" at once (exit 5)', async () => {
    fx.node.setWalletState('LOCKED');
    try {
      const r = await runCli(['check', ...fx.args], { timeoutMs: 60_000 });
      expectExit(r, 5);
      expect(r.stderr).toBe('');
    } finally {
      fx.node.setWalletState('SERVER_ACTIVE');
    }
  }, 90_000);

  test('what waiting cannot fix (a macaroon without offchain:read) is reported at once, not waited for', async () => {
    const r = await runCli(['check', '--wait', ...fx.args, '--macaroonpath', fx.paths.macaroonPaths.invoice], {
      timeoutMs: 60_000,
    });
    expectExit(r, 5);
    expect(r.stderr).toBe('');
  }, 90_000);

  test('Ctrl-C while waiting: the last report, its exit code', async () => {
    fx.node.setWalletState('LOCKED');
    try {
      const r = await runCli(['check', '--wait', ...fx.args], {
        timeoutMs: 60_000,
        onSpawn: (child) => setTimeout(() => child.kill('SIGINT'), 3000),
      });
      expectExit(r, 5);
      expect(lineOf(r.stdout, 'lnd ready')).toMatch(/^FAIL +lnd ready +wallet locked/);
      expect(r.stdout).toMatch(/\nnot ready: lnd ready failed \(exit 5\)\n$/);
    } finally {
      fx.node.setWalletState('SERVER_ACTIVE');
    }
  }, 90_000);
});
