/**
 * Issue 12 (from issue 10): a SIGINT/SIGTERM while node is still loading the
 * CLI's modules, or while a relaunched child (runtime/relaunch.ts) loads its
 * own, ends tail and demo with exit 0 and nothing started (no connection to
 * lnd, no demo directory), because bin/htlc-tail.js installs the handlers
 * before anything else loads. A command without a clean stop (check) is still
 * ended by the signal, as before. The moment is made exact with a test
 * preload that holds the loading of dist/cli/main.js (hold-main.mjs); the last
 * test signals at once after spawning, several times, without it.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, cleanEnv, ROOT } from './run-cli.js';
import { startSimFixture, type SimFixture } from './sim-fixture.js';

const HOLD = path.join(ROOT, 'test/e2e/hold-main.mjs');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Run {
  readonly child: ChildProcess;
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

function start(args: readonly string[], env: Record<string, string>, hold: boolean): Run {
  const child = spawn(process.execPath, [...(hold ? ['--import', HOLD] : []), BIN, ...args], {
    env: cleanEnv({ HOME: '/nonexistent-home', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve) =>
      child.on('close', (code, signal) => {
        clearTimeout(killer);
        resolve({ code, signal, stdout, stderr });
      }),
  );
  return { child, done };
}

async function until(cond: () => boolean, what: string, limitMs = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > limitMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

let sim: SimFixture;
let tmp: string;
let n = 0;

beforeAll(async () => {
  sim = await startSimFixture({ rate: 200, seed: 12 });
  tmp = mkdtempSync(path.join(os.tmpdir(), 'htlc-tail-early-'));
});

afterAll(async () => {
  await sim?.cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

/** A directory of its own for one held run. */
function holdDir(): string {
  const dir = path.join(tmp, `hold-${n++}`);
  mkdirSync(dir);
  return dir;
}
const held = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.startsWith('held-'))
    .map((f) => Number(f.slice(5)));
const release = (dir: string, pid: number) => writeFileSync(path.join(dir, `go-${pid}`), '');

describe('a signal while the CLI loads its modules', () => {
  test.each([
    ['SIGINT', 1],
    ['SIGTERM', 1],
    ['SIGINT', 2],
    ['SIGTERM', 2],
  ] as const)(
    'tail, %s (run %i): exit 0, nothing printed, no connection to lnd, no child started',
    async (sig, _run) => {
      const dir = holdDir();
      const before = sim.node.connections;
      const r = start([...sim.args, '-f', 'jsonl', '--stats'], { HOLD_MAIN_DIR: dir }, true);
      const pid = r.child.pid!;
      await until(() => held(dir).includes(pid), 'the CLI to reach its main module');
      r.child.kill(sig);
      await sleep(200);
      release(dir, pid);
      const res = await r.done;
      expect({ code: res.code, signal: res.signal, stdout: res.stdout, stderr: res.stderr }).toEqual({
        code: 0,
        signal: null,
        stdout: '',
        stderr: '',
      });
      expect(sim.node.connections).toBe(before);
      // A relaunched child would have been held too.
      expect(held(dir)).toEqual([pid]);
    },
    60_000,
  );

  test('demo, SIGINT: exit 0 and no demo directory', async () => {
    const dir = holdDir();
    const tmpdir = mkdtempSync(path.join(tmp, 'demo-'));
    const r = start(['demo', '-f', 'jsonl'], { HOLD_MAIN_DIR: dir, TMPDIR: tmpdir }, true);
    const pid = r.child.pid!;
    await until(() => held(dir).includes(pid), 'the CLI to reach its main module');
    r.child.kill('SIGINT');
    release(dir, pid);
    const res = await r.done;
    expect({ code: res.code, signal: res.signal, stderr: res.stderr }).toEqual({ code: 0, signal: null, stderr: '' });
    expect(readdirSync(tmpdir)).toEqual([]);
  }, 60_000);

  test('check (no clean stop): the signal still ends it, as it always did', async () => {
    const dir = holdDir();
    const r = start(['check', ...sim.args], { HOLD_MAIN_DIR: dir }, true);
    const pid = r.child.pid!;
    await until(() => held(dir).includes(pid), 'the CLI to reach its main module');
    r.child.kill('SIGINT');
    release(dir, pid);
    const res = await r.done;
    expect({ code: res.code, signal: res.signal, stdout: res.stdout }).toEqual({
      code: null,
      signal: 'SIGINT',
      stdout: '',
    });
  }, 60_000);
});

describe('a signal to the launcher while the relaunched child loads', () => {
  test.each(['SIGTERM', 'SIGINT'] as const)(
    'tail, %s: passed on, exit 0, nothing printed, no connection',
    async (sig) => {
      const dir = holdDir();
      const before = sim.node.connections;
      const r = start([...sim.args, '-f', 'jsonl', '--stats'], { HOLD_MAIN_DIR: dir }, true);
      const pid = r.child.pid!;
      await until(() => held(dir).includes(pid), 'the launcher to reach its main module');
      release(dir, pid);
      await until(() => held(dir).length === 2, 'the relaunched child to reach its main module');
      const childPid = held(dir).find((p) => p !== pid)!;
      r.child.kill(sig);
      await sleep(300);
      release(dir, childPid);
      const res = await r.done;
      expect({ code: res.code, signal: res.signal, stdout: res.stdout, stderr: res.stderr }).toEqual({
        code: 0,
        signal: null,
        stdout: '',
        stderr: '',
      });
      expect(sim.node.connections).toBe(before);
    },
    60_000,
  );
});

describe('spawned and signalled at once', () => {
  test('tail, several times at moments through its start: exit 0, or killed only before node ran any of it; never an error or half a line', async () => {
    const outcomes: string[] = [];
    for (const [i, delay] of [0, 0, 10, 25, 50, 100, 200, 400].entries()) {
      const sig = i % 2 === 0 ? 'SIGINT' : 'SIGTERM';
      const r = start([...sim.args, '-f', 'jsonl', '--no-stats'], {}, false);
      if (delay > 0) await sleep(delay);
      r.child.kill(sig);
      const res = await r.done;
      outcomes.push(res.signal ?? `exit ${res.code}`);
      expect(res.stderr).toBe('');
      if (res.signal !== null) expect(res.signal).toBe(sig);
      else expect(res.code).toBe(0);
      for (const line of res.stdout.split('\n').filter((l) => l !== '')) expect(() => JSON.parse(line)).not.toThrow();
      if (res.stdout !== '') expect(res.stdout.endsWith('\n')).toBe(true);
    }
    expect(outcomes).toHaveLength(8);
  }, 120_000);
});
