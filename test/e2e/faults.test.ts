/**
 * Issue 4 fault tests: the built CLI against the simulated node while the node
 * restarts, ends streams, is locked, stops answering, or the reader is slow.
 */
import { describe, test, expect, beforeAll, afterAll } from '@jest/globals';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { startSimNode, type SimNodeHandle, type Scenario } from '@htlc-tail/lnd-sim';
import { BIN, cleanEnv, jsonLines, runCli } from './run-cli.js';
import { freezableProxy } from './hostile-servers.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'htlc-tail-faults-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function simWithDir(
  name: string,
  opts: Parameters<typeof startSimNode>[0],
): Promise<{ node: SimNodeHandle; args: string[] }> {
  const node = await startSimNode(opts);
  const dir = path.join(tmp, name);
  await node.writeLndDir(dir);
  return { node, args: ['--lnddir', dir, '--network', 'regtest'] };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Counts stdout lines as they arrive and lets a test act after the k-th. */
function lineWatcher() {
  let buf = '';
  const waiters: Array<[number, () => void]> = [];
  let lines = 0;
  return {
    onStdout(chunk: string) {
      buf += chunk;
      lines = buf.split('\n').length - 1;
      for (const w of waiters.splice(0)) {
        if (lines >= w[0]) w[1]();
        else waiters.push(w);
      }
    },
    after(k: number): Promise<void> {
      return new Promise((resolve) => (lines >= k ? resolve() : waiters.push([k, resolve])));
    },
  };
}

describe('reconnection', () => {
  let sim: { node: SimNodeHandle; args: string[] };
  beforeAll(async () => {
    const scenario: Scenario = { connections: [[{ generate: 5 }], [{ generate: 5 }]], then: 'hold' };
    sim = await simWithDir('restart', { scenario, seed: 7 });
  });
  afterAll(() => sim.node.stop());

  test('restart mid-stream: events before and after arrive, exactly one gap line, exit 0', async () => {
    const w = lineWatcher();
    const restarted = w.after(5).then(() => sim.node.restart({ downMs: 300 }));
    const r = await runCli([...sim.args, '-f', 'jsonl', '--count', '10', '--no-stats'], {
      onStdout: (c) => w.onStdout(c),
      timeoutMs: 30_000,
    });
    await restarted;
    expect(r.code).toBe(0);
    const items = jsonLines(r.stdout);
    expect(items.filter((i) => i.event === 'gap')).toHaveLength(1);
    expect(items.filter((i) => i.event !== 'gap')).toHaveLength(10);
    const gapAt = items.findIndex((i) => i.event === 'gap');
    expect(gapAt).toBe(5);
    const gap = items[gapAt];
    expect(Date.parse(gap.to)).toBeGreaterThanOrEqual(Date.parse(gap.from));
    expect(gap.reason).toMatch(/terminated|shutting down|lost|ended|unavailable|connection/i);
    expect(r.stderr).toMatch(/lost the HTLC event stream/);
    expect(r.stderr).toMatch(/reconnected/);
  });
});

describe('stream ended by the server', () => {
  test('with --no-reconnect: exit 6 and the reason on one line', async () => {
    const { node, args } = await simWithDir('end6', {
      scenario: { steps: [{ generate: 3 }, { error: 'htlc event subscription terminated' }] },
    });
    try {
      const r = await runCli([...args, '-f', 'jsonl', '--no-reconnect', '--no-stats']);
      expect(r.code).toBe(6);
      expect(jsonLines(r.stdout)).toHaveLength(3);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/htlc event subscription terminated.*--no-reconnect/);
    } finally {
      await node.stop();
    }
  });

  test('a normal end (status OK) is a lost stream too: reconnect and a gap', async () => {
    const scenario: Scenario = { connections: [[{ generate: 2 }, { end: true }], [{ generate: 2 }]], then: 'hold' };
    const { node, args } = await simWithDir('endok', { scenario });
    try {
      const r = await runCli([...args, '-f', 'jsonl', '--count', '4', '--no-stats'], { timeoutMs: 20_000 });
      expect(r.code).toBe(0);
      const items = jsonLines(r.stdout);
      expect(items.map((i) => i.event === 'gap')).toEqual([false, false, true, false, false]);
    } finally {
      await node.stop();
    }
  });
});

describe('wallet locked at start', () => {
  test('without --wait: exit 5 with the remedy', async () => {
    const { node, args } = await simWithDir('locked', { walletState: 'LOCKED' });
    try {
      const r = await runCli([...args, '-f', 'jsonl']);
      expect(r.code).toBe(5);
      expect(r.stderr).toMatch(/wallet locked.*--wait/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      await node.stop();
    }
  });

  test('with --wait: a status line, then events once unlocked', async () => {
    const { node, args } = await simWithDir('locked-wait', {
      walletState: 'LOCKED',
      scenario: { steps: [{ generate: 3 }], then: 'hold' },
    });
    try {
      const unlock = sleep(1500).then(() => node.setWalletState('SERVER_ACTIVE'));
      const r = await runCli([...args, '-f', 'jsonl', '--wait', '--count', '3', '--no-stats'], { timeoutMs: 20_000 });
      await unlock;
      expect(r.code).toBe(0);
      expect(jsonLines(r.stdout)).toHaveLength(3);
      expect(r.stderr).toMatch(/wallet locked/);
      // One line per state change, not one per retry.
      expect(r.stderr.match(/wallet locked/g)).toHaveLength(1);
    } finally {
      await node.stop();
    }
  });

  test('with --wait, an unreachable port is waited for; permission errors still exit at once', async () => {
    const { node, args } = await simWithDir('perm', {});
    try {
      const inv = path.join(tmp, 'perm', 'data', 'chain', 'bitcoin', 'regtest', 'invoice.macaroon');
      const r = await runCli([...args, '--wait', '--macaroonpath', inv], { timeoutMs: 10_000 });
      expect(r.code).toBe(5);
      expect(r.stderr).toMatch(/offchain:read/);
    } finally {
      await node.stop();
    }
  });
});

describe('a dead connection', () => {
  test('a half-open connection is noticed by keepalive and the tail reconnects with a gap', async () => {
    const scenario: Scenario = { connections: [[{ generate: 2 }], [{ generate: 2 }]], then: 'hold' };
    const { node, args } = await simWithDir('halfopen', { scenario });
    const proxy = await freezableProxy(node.port);
    try {
      const w = lineWatcher();
      const frozen = w.after(2).then(() => proxy.freezeExisting());
      const r = await runCli(
        [...args, '--rpcserver', `127.0.0.1:${proxy.port}`, '-f', 'jsonl', '--count', '4', '--no-stats'],
        {
          env: { HOME: '/nonexistent', HTLC_TAIL_TEST_KEEPALIVE_MS: '5000' },
          onStdout: (c) => w.onStdout(c),
          timeoutMs: 40_000,
        },
      );
      await frozen;
      expect(r.code).toBe(0);
      const items = jsonLines(r.stdout);
      expect(items.filter((i) => i.event === 'gap')).toHaveLength(1);
      expect(items.filter((i) => i.event !== 'gap')).toHaveLength(4);
    } finally {
      proxy.close();
      await node.stop();
    }
  }, 60_000);
});

describe('clean ends', () => {
  let sim: { node: SimNodeHandle; args: string[] };
  beforeAll(async () => {
    sim = await simWithDir('ends', { rate: 200, seed: 3 });
  });
  afterAll(() => sim.node.stop());

  test('| head -n 3: exit 0 and nothing on stderr', async () => {
    const status = path.join(tmp, 'head-status');
    const cmd = `"${process.execPath}" "${BIN}" ${sim.args.join(' ')} -f jsonl --stats | head -n 3; echo "\${PIPESTATUS[0]}" > "${status}"`;
    const r = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
      const child = spawn('bash', ['-c', cmd], { env: cleanEnv({ HOME: '/nonexistent' }) });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.stderr.on('data', (c) => (stderr += c));
      child.on('close', () => resolve({ stdout, stderr }));
    });
    expect(readFileSync(status, 'utf8').trim()).toBe('0');
    expect(jsonLines(r.stdout)).toHaveLength(3);
    expect(r.stderr).toBe('');
  });

  test.each(['SIGTERM', 'SIGINT'] as const)('%s: exit 0, output flushed, summary printed with --stats', async (sig) => {
    const w = lineWatcher();
    const r = await runCli([...sim.args, '-f', 'jsonl', '--stats'], {
      onStdout: (c) => {
        w.onStdout(c);
      },
      onSpawn: (child) => {
        void w.after(5).then(() => child.kill(sig));
      },
    });
    expect(r.signal).toBeNull();
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout).length).toBeGreaterThanOrEqual(5);
    expect(r.stdout.endsWith('\n')).toBe(true);
    expect(r.stderr).toMatch(/forward/i);
  });
});

describe('backpressure', () => {
  test('a reader that stops reading: memory stays bounded, and every event arrives once it reads again', async () => {
    const N = 150_000;
    const { node, args } = await simWithDir('slow', { flood: N });
    try {
      const child = spawn(
        process.execPath,
        [BIN, ...args, '-f', 'jsonl', '--count', String(N), '--no-stats', '--no-aliases'],
        {
          env: cleanEnv({ HOME: '/nonexistent' }),
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let lines = 0;
      let stderr = '';
      child.stderr.on('data', (c) => (stderr += c));
      child.stdout.pause();
      // Let the tail run into the full pipe for a while, sampling its memory.
      let peakKb = 0;
      for (let i = 0; i < 10; i++) {
        await sleep(300);
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        peakKb = Math.max(peakKb, Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0));
      }
      const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      child.stdout.on('data', (c: Buffer) => {
        for (let i = 0; i < c.length; i++) if (c[i] === 10) lines++;
      });
      child.stdout.resume();
      const code = await done;
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(lines).toBe(N);
      // Unbounded buffering of 150k events would take far more than this.
      expect(peakKb).toBeLessThan(150 * 1024);
    } finally {
      await node.stop();
    }
  }, 90_000);
});
