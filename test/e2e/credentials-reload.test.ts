/**
 * Issue 10, item 2: the cert and macaroon files are read again on every
 * reconnect. The node behind a tail is replaced while it runs by one with a
 * new certificate and new macaroons (lnd regenerated tls.cert, the root key
 * was rotated): when its files are in place the tail reconnects (one gap
 * line, exit 0 at --count); when they are not, or are wrong, the tail stops
 * with one line that says what changed.
 *
 * The node's address is a relay (hostile-servers.ts switchableProxy) that
 * refuses connections while the node is replaced, as lnd's port does while
 * lnd restarts, and the new node's files are written before it is reachable,
 * as lnd writes tls.cert before it listens.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSimNode, type SimNodeHandle, generateLndCert, type Scenario } from '@htlc-tail/lnd-sim';
import { jsonLines } from './run-cli.js';
import {
  cli,
  errorLines,
  expectExit,
  expectNoSecrets,
  macaroonSecrets,
  startSimFixture,
  type SimFixture,
} from './sim-fixture.js';
import { switchableProxy } from './hostile-servers.js';

const SEED = 41;
const scenario: Scenario = { steps: [{ generate: 2 }], then: 'hold' };

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'htlc-tail-creds-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * After 2 lines: node A goes away, node B (new cert, new root key) comes up
 * behind the same address (A's gRPC port, or its REST port with `rest`),
 * `write` having prepared the files first.
 */
async function replaceNodeWhileTailing(
  args: (fx: SimFixture, proxyPort: number) => string[],
  write: (fx: SimFixture, b: SimNodeHandle) => Promise<void>,
  rest = false,
  writeLate = false,
) {
  const a = await startSimFixture({ seed: SEED, scenario, rest });
  const proxy = await switchableProxy(rest ? a.node.restPort! : a.node.port);
  let b: SimNodeHandle | undefined;
  try {
    let seen = 0;
    let swap: Promise<void> | undefined;
    const r = await cli(args(a, proxy.port), {
      onStdout: (chunk) => {
        seen += chunk.split('\n').length - 1;
        if (seen >= 2 && !swap) {
          swap = (async () => {
            await proxy.down();
            await a.node.stop();
            b = await startSimNode({ seed: SEED, scenario, network: 'regtest', rest });
            if (!writeLate) await write(a, b);
            await proxy.up(rest ? b.restPort! : b.port);
            if (writeLate) {
              await new Promise((resolve) => setTimeout(resolve, 1_200));
              await write(a, b);
            }
          })();
        }
      },
    });
    await swap;
    return { r, a, b: b! };
  } finally {
    await proxy.close();
    await b?.stop();
    await a.cleanup();
  }
}

const tailArgs = (fx: SimFixture, port: number) => [
  ...fx.args,
  '--rpcserver',
  `127.0.0.1:${port}`,
  '-f',
  'jsonl',
  '--count',
  '4',
  '--no-stats',
];

describe('a regenerated tls.cert and re-baked macaroons', () => {
  test('written before lnd is back: the tail reconnects with them (one gap line, exit 0)', async () => {
    const { r, b } = await replaceNodeWhileTailing(tailArgs, async (a, node) => {
      await node.writeLndDir(a.paths.lnddir);
    });
    expectExit(r, 0);
    expect(jsonLines(r.stdout).map((l) => l.event === 'gap')).toEqual([false, false, true, false, false]);
    expect(r.stderr).not.toMatch(/tlscertpath|rejected|macaroon/);
    expect(r.stderr).toMatch(/reconnected/);
    expectNoSecrets(r, macaroonSecrets(Object.values(b.macaroons)));
  }, 60_000);

  test('written a moment after lnd is back (it listens before its new files are on disk): still reconnects', async () => {
    const { r } = await replaceNodeWhileTailing(
      tailArgs,
      async (a, node) => {
        await node.writeLndDir(a.paths.lnddir);
      },
      false,
      true,
    );
    expectExit(r, 0);
    expect(jsonLines(r.stdout).map((l) => l.event === 'gap')).toEqual([false, false, true, false, false]);
    expect(r.stderr).toMatch(/reconnected/);
  }, 60_000);

  test('the same over REST', async () => {
    const { r } = await replaceNodeWhileTailing(
      (fx, port) => [
        ...fx.args,
        '--transport',
        'rest',
        '--restserver',
        `127.0.0.1:${port}`,
        '-f',
        'jsonl',
        '--count',
        '4',
        '--no-stats',
      ],
      async (a, node) => {
        await node.writeLndDir(a.paths.lnddir);
      },
      true,
    );
    expectExit(r, 0);
    expect(jsonLines(r.stdout).map((l) => l.event === 'gap')).toEqual([false, false, true, false, false]);
    expect(r.stderr).not.toMatch(/tlscertpath|rejected/);
  }, 60_000);
});

describe('when the fresh files are still not accepted, one line says what changed', () => {
  test('tls.cert not updated: exit 4, the file is unchanged since the start', async () => {
    const { r, a } = await replaceNodeWhileTailing(tailArgs, async () => undefined);
    expectExit(r, 4);
    expect(jsonLines(r.stdout).filter((l) => l.event !== 'gap')).toHaveLength(2);
    const last = errorLines(r.stderr).at(-1)!;
    expect(last).toContain(a.paths.tlsCertPath);
    expect(last).toMatch(/does not verify.*is unchanged since htlc-tail started/);
  }, 60_000);

  test('tls.cert replaced by yet another one: exit 4, it changed and the new one is not accepted either', async () => {
    const { r, a } = await replaceNodeWhileTailing(tailArgs, async (fx) => {
      writeFileSync(fx.paths.tlsCertPath, generateLndCert({}).certPem);
    });
    expectExit(r, 4);
    expect(errorLines(r.stderr).at(-1)).toMatch(
      new RegExp(
        `${a.paths.tlsCertPath.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} changed since htlc-tail started, and the new one is not accepted either`,
      ),
    );
  }, 60_000);

  test('the cert updated but the macaroon not: exit 5, the macaroon file is unchanged since the start', async () => {
    const { r, a } = await replaceNodeWhileTailing(tailArgs, async (fx, node) => {
      const fresh = mkdtempSync(path.join(tmp, 'b-'));
      const paths = await node.writeLndDir(fresh);
      copyFileSync(paths.tlsCertPath, fx.paths.tlsCertPath);
    });
    expectExit(r, 5);
    const last = errorLines(r.stderr).at(-1)!;
    expect(last).toMatch(/rejected the macaroon/);
    expect(last).toContain(`${a.paths.macaroonPaths.readonly} is unchanged since htlc-tail started`);
  }, 60_000);
});
