/**
 * A status lnd sends itself after accepting the call (its response headers
 * came: the connection, TLS and HTTP/2 all worked) is lnd ending the call,
 * not a connection problem: an INTERNAL in the trailers reads as lnd's error
 * ("ended SubscribeHtlcEvents with status INTERNAL …; the connection works"),
 * never as "cannot reach lnd … check that lnd runs and --rpcserver is right".
 * Exit codes and retries stay those of a lost stream (exit 4; retried while
 * reconnecting).
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSimNode, type SimNodeHandle, type Scenario } from '@htlc-tail/lnd-sim';
import { runCli } from './run-cli.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'htlc-tail-lnd-ended-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const INTERNAL = { error: 'routerrpc: htlc notifier failed', code: 13 } as const;

/** The node's h2 server answers with response headers at once, then the scenario's steps (no subscribed_event: lnd < 0.16). */
async function simWithDir(name: string, scenario: Scenario): Promise<{ node: SimNodeHandle; args: string[] }> {
  const node = await startSimNode({ transport: 'h2', seed: 11, scenario: { subscribed: false, ...scenario } });
  const dir = path.join(tmp, name);
  await node.writeLndDir(dir);
  return { node, args: ['--lnddir', dir, '--network', 'regtest', '-f', 'jsonl', '--no-stats', '--no-aliases'] };
}

describe('INTERNAL from lnd after its response headers', () => {
  test('at start: exit 4, worded as lnd ending the call, not as an unreachable node', async () => {
    const { node, args } = await simWithDir('start', { steps: [INTERNAL] });
    try {
      const r = await runCli(args, { timeoutMs: 30_000 });
      expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 4 });
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toEqual([
        `htlc-tail: lnd at ${node.rpcserver} ended SubscribeHtlcEvents with status INTERNAL (routerrpc: htlc notifier failed); the connection works: check lnd's log`,
      ]);
      expect(r.stderr).not.toMatch(/cannot reach|--rpcserver is right/);
    } finally {
      await node.stop();
    }
  });

  test('after a healthy stream: the events, the loss, then the retries say lnd ends the call (and keep retrying)', async () => {
    const { node, args } = await simWithDir('healthy', { connections: [[{ generate: 3 }, INTERNAL], [INTERNAL]] });
    try {
      let stderr = '';
      const r = await runCli(args, {
        timeoutMs: 40_000,
        onSpawn: (child) =>
          child.stderr?.on('data', (c: Buffer) => {
            stderr += c.toString('utf8');
            // The first retry's line is out: enough seen, stop the tail (exit 0).
            if (
              /ended SubscribeHtlcEvents with status INTERNAL.*reconnecting/.test(stderr) ||
              /cannot reach/.test(stderr)
            )
              child.kill('SIGTERM');
          }),
      });
      expect({ code: r.code, signal: r.signal }).toEqual({ code: 0, signal: null });
      expect(r.stdout.trim().split('\n')).toHaveLength(3);
      const lines = r.stderr.trim().split('\n');
      expect(lines[0]).toMatch(
        /^htlc-tail: lost the HTLC event stream from lnd at \S+ \(routerrpc: htlc notifier failed\); reconnecting, next try in 0\.\d s$/,
      );
      expect(lines[1]).toMatch(
        new RegExp(
          `^htlc-tail: lnd at ${node.rpcserver.replace(/\./g, '\\.')} ended SubscribeHtlcEvents with status INTERNAL \\(routerrpc: htlc notifier failed\\); the connection works: check lnd's log; reconnecting, next try in \\d+\\.\\d s$`,
        ),
      );
      expect(r.stderr).not.toMatch(/cannot reach|--rpcserver is right/);
    } finally {
      await node.stop();
    }
  });
});
