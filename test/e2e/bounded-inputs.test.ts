/**
 * Issue 10, items 7 and 8, end to end with the built CLI:
 *
 * - Input files are read with a size cap and only when they are regular
 *   files: /dev/zero, /dev/urandom, a FIFO, a directory or a file over 1 MiB
 *   as cert, macaroon or lnd.conf is exit 3 naming the file, at once. A
 *   truncated macaroon is exit 3 naming the file (not lnd's unmarshal text).
 * - --stats-interval below 1 s is a usage error.
 * - U+2028, U+2029 and U+0085 are written escaped in jsonl and raw (and gap
 *   lines), so line-oriented readers never split a record.
 * - Under --wait the waiting notice does not suggest --wait.
 * - Proxy variables are ignored by every connection (the unary calls too),
 *   and the tail says so once.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { cli, errorLines, expectExit, oneErrorLine, startSimFixture, type SimFixture } from './sim-fixture.js';
import { jsonLines } from './run-cli.js';

let fx: SimFixture;
let fifo: string | undefined;

beforeAll(async () => {
  fx = await startSimFixture({ seed: 51 });
  const p = path.join(fx.tmp, 'lnd.conf.fifo');
  try {
    execFileSync('mkfifo', [p]);
    fifo = p;
  } catch {
    fifo = undefined; // no mkfifo here: the FIFO cases are skipped below
  }
});

afterAll(async () => {
  await fx?.cleanup();
});

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe('bounded inputs: exit 3 naming the file, at once', () => {
  const big = () => {
    const p = path.join(fx.tmp, 'big.file');
    writeFileSync(p, '');
    truncateSync(p, 2 * 1024 * 1024);
    return p;
  };
  const dir = () => {
    const p = path.join(fx.tmp, 'a-directory');
    mkdirSync(p, { recursive: true });
    return p;
  };
  const truncatedMacaroon = () => {
    const p = path.join(fx.tmp, 'truncated.macaroon');
    const full = readFileSync(fx.paths.macaroonPaths.readonly);
    writeFileSync(p, full.subarray(0, full.length - 20));
    return p;
  };
  const cases: Array<[string, () => string[], () => string, RegExp]> = [
    [
      '--tlscertpath /dev/zero',
      () => ['--tlscertpath', '/dev/zero'],
      () => '/dev/zero',
      /TLS cert \/dev\/zero is not a regular file but a character device; set --tlscertpath/,
    ],
    [
      '--configfile /dev/zero',
      () => ['--configfile', '/dev/zero'],
      () => '/dev/zero',
      /lnd\.conf \/dev\/zero \(not a regular file \(a character device\)\)/,
    ],
    [
      '--macaroonpath /dev/urandom',
      () => ['--macaroonpath', '/dev/urandom'],
      () => '/dev/urandom',
      /macaroon \/dev\/urandom is not a regular file but a character device; set --macaroonpath/,
    ],
    [
      '--tlscertpath of 2 MiB',
      () => ['--tlscertpath', big()],
      () => path.join(fx.tmp, 'big.file'),
      /is larger than 1 MiB/,
    ],
    [
      '--macaroonpath of 2 MiB',
      () => ['--macaroonpath', big()],
      () => path.join(fx.tmp, 'big.file'),
      /is larger than 1 MiB/,
    ],
    ['--configfile of 2 MiB', () => ['--configfile', big()], () => path.join(fx.tmp, 'big.file'), /larger than 1 MiB/],
    [
      '--tlscertpath a directory',
      () => ['--tlscertpath', dir()],
      () => path.join(fx.tmp, 'a-directory'),
      /is a directory/,
    ],
    [
      'a truncated macaroon',
      () => ['--macaroonpath', truncatedMacaroon()],
      () => path.join(fx.tmp, 'truncated.macaroon'),
      /macaroon .* is damaged \(.*\): truncated or altered\?.*--macaroonpath/,
    ],
  ];
  test.each(cases)('%s', async (_name, args, file, says) => {
    const started = Date.now();
    const r = await cli([...fx.args, ...args(), '-f', 'jsonl']);
    expectExit(r, 3);
    const line = oneErrorLine(r);
    expect(line).toContain(file());
    expect(line).toMatch(says);
    expect(r.stdout).toBe('');
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  test('a FIFO as --configfile, and as <lnddir>/lnd.conf: exit 3, no hang', async () => {
    if (!fifo) {
      console.warn('skipped: mkfifo is not available');
      return;
    }
    const r = await cli([...fx.args, '--configfile', fifo], { timeoutMs: 20_000 });
    expectExit(r, 3);
    expect(oneErrorLine(r)).toMatch(new RegExp(`lnd\\.conf ${esc(fifo)} \\(not a regular file \\(a FIFO\\)\\)`));
    const lnddir = path.join(fx.tmp, 'fifo-lnddir');
    mkdirSync(lnddir, { recursive: true });
    execFileSync('mkfifo', [path.join(lnddir, 'lnd.conf')]);
    const r2 = await cli(['--lnddir', lnddir], { timeoutMs: 20_000 });
    expectExit(r2, 3);
    expect(oneErrorLine(r2)).toMatch(/lnd\.conf .*fifo-lnddir\/lnd\.conf \(not a regular file \(a FIFO\)\)/);
  });
});

describe('--stats-interval', () => {
  test.each(['0.5', '0.001'])('%s s is a usage error (exit 2)', async (v) => {
    const r = await cli([...fx.args, '--stats-interval', v]);
    expectExit(r, 2);
    expect(oneErrorLine(r)).toMatch(
      new RegExp(`--stats-interval "${esc(v)}" is less than 1 s; give 1 or more \\(0 turns it off\\)`),
    );
  });
});

describe('line and paragraph separators in strings', () => {
  test('jsonl and raw escape U+2028, U+2029 and U+0085; every record stays one line for any line splitter', async () => {
    const text = 'fee\u2028too\u2029low\u0085here';
    const node = await startSimFixture({
      seed: 52,
      scenario: (n) => ({
        steps: [
          {
            send: {
              incoming_channel_id: n.channels[0]!.chanId.toString(),
              incoming_htlc_id: '7',
              outgoing_channel_id: n.channels[1]!.chanId.toString(),
              outgoing_htlc_id: '0',
              timestamp_ns: '1714979289123456789',
              event_type: 'FORWARD',
              link_fail_event: {
                info: null,
                wire_failure: 'FEE_INSUFFICIENT',
                failure_detail: 'NO_DETAIL',
                failure_string: text,
              },
            },
          },
          { error: `terminated\u2028now` },
        ],
        then: 'hold',
      }),
    });
    try {
      for (const format of ['jsonl', 'raw']) {
        const r = await cli([...node.args, '-f', format, '--count', '2', '--no-stats', '--no-aliases']);
        expectExit(r, 0);
        expect(r.stdout).not.toMatch(/[\u2028\u2029\u0085]/);
        expect(r.stdout).toContain('fee\\u2028too\\u2029low\\u0085here');
        // A splitter that breaks at every Unicode line end still sees whole records.
        const records = r.stdout.split(/\r\n|[\n\r\u2028\u2029\u0085]/).filter((l) => l !== '');
        const parsed = records.map((l) => JSON.parse(l));
        expect(parsed.filter((p) => p.event === 'gap')).toHaveLength(1);
        const failure = format === 'jsonl' ? parsed[0].failure_string : parsed[0].link_fail_event.failure_string;
        expect(failure).toBe(text);
      }
    } finally {
      await node.cleanup();
    }
  }, 60_000);
});

describe('--wait', () => {
  test('the waiting notice does not suggest --wait', async () => {
    const node = await startSimFixture({
      seed: 53,
      walletState: 'LOCKED',
      scenario: { steps: [{ generate: 1 }], then: 'hold' },
    });
    try {
      const unlock = new Promise((r) => setTimeout(r, 1_500)).then(() => node.node.setWalletState('SERVER_ACTIVE'));
      const r = await cli([...node.args, '--wait', '-f', 'jsonl', '--count', '1', '--no-stats']);
      await unlock;
      expectExit(r, 0);
      const lines = errorLines(r.stderr);
      expect(lines).toEqual([expect.stringMatching(/wallet locked: unlock it \(lncli unlock\); waiting, next try in/)]);
      expect(r.stderr).not.toMatch(/--wait/);
    } finally {
      await node.cleanup();
    }
  }, 60_000);
});

describe('proxy variables', () => {
  test('https_proxy and grpc_proxy at a dead port: stream and alias lookups still connect directly; one notice', async () => {
    const dead = net.createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', () => r()));
    const port = (dead.address() as net.AddressInfo).port;
    await new Promise((r) => dead.close(r));
    const node = await startSimFixture({
      seed: 54,
      scenario: (n) => ({
        steps: [
          {
            send: {
              incoming_channel_id: n.channels[0]!.chanId.toString(),
              incoming_htlc_id: '1',
              outgoing_channel_id: n.channels[1]!.chanId.toString(),
              outgoing_htlc_id: '1',
              timestamp_ns: '1714979289123456789',
              event_type: 'FORWARD',
              forward_event: {
                info: {
                  incoming_timelock: 800_140,
                  outgoing_timelock: 800_100,
                  incoming_amt_msat: '1001000',
                  outgoing_amt_msat: '1000000',
                },
              },
            },
          },
        ],
        then: 'hold',
      }),
    });
    try {
      const proxy = `http://127.0.0.1:${port}`;
      const r = await cli([...node.args, '-f', 'jsonl', '--count', '1', '--stats'], {
        env: { HOME: '/nonexistent', https_proxy: proxy, HTTPS_PROXY: proxy, grpc_proxy: proxy, http_proxy: proxy },
      });
      expectExit(r, 0);
      const [ev] = jsonLines(r.stdout);
      expect([ev.incoming_alias, ev.outgoing_alias]).toEqual([
        node.node.node.channels[0]!.peer.listAlias,
        node.node.node.channels[1]!.peer.listAlias,
      ]);
      const lines = errorLines(r.stderr).filter((l) => l.startsWith('htlc-tail: '));
      expect(lines).toEqual([
        expect.stringMatching(
          /^htlc-tail: grpc_proxy, https_proxy, HTTPS_PROXY, http_proxy are set but ignored: htlc-tail connects to lnd directly/,
        ),
      ]);
      expect(r.stderr).not.toMatch(/alias lookup|blocks left.*unknown/i);
    } finally {
      await node.cleanup();
    }
  }, 60_000);
});
