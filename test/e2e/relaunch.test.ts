/**
 * Issue 12, item 4: the heap flags are set when node starts, never at run
 * time. A long-running command started without them runs again in a child
 * node that has them (runtime/relaunch.ts); what the user sees is unchanged:
 * the same output, exit codes passed through, a signal to the launcher passed
 * on, and a child that does not outlive a killed launcher. Our decision only
 * (which process has which flags, read from /proc), not V8's heap behaviour.
 * Linux only (/proc); skipped elsewhere.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { BIN, cleanEnv, jsonLines, runCli } from './run-cli.js';
import { silentTcpServer } from './hostile-servers.js';
import { startSimFixture, type SimFixture } from './sim-fixture.js';

const FLAGS = ['--max-semi-space-size=8', '--heap-growing-percent=25'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const onLinux = process.platform === 'linux' && existsSync('/proc/self/stat');
const describeLinux = onLinux ? describe : describe.skip;
if (!onLinux) console.warn('relaunch.test.ts: skipped (needs /proc to see the processes)');

/** The command line of a process, or undefined when it is gone. */
function cmdline(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .filter((a) => a !== '');
  } catch {
    return undefined;
  }
}

/** The processes whose parent is `pid`. */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

async function until(cond: () => boolean, what: string, limitMs = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > limitMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function tail(nodeArgs: readonly string[], args: readonly string[], env: Record<string, string> = {}) {
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, BIN, ...args], {
    env: cleanEnv({ HOME: '/nonexistent-home', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal });
    }),
  );
  return { child, done, out: () => stdout, err: () => stderr };
}

let sim: SimFixture;

beforeAll(async () => {
  sim = await startSimFixture({ rate: 300, seed: 41 });
});

afterAll(async () => {
  await sim?.cleanup();
});

describeLinux('the tail runs in a child node with the heap flags', () => {
  test('one child with both flags before the script, the launcher without them; SIGTERM to the launcher: exit 0, whole lines', async () => {
    const t = tail([], [...sim.args, '-f', 'jsonl', '--no-stats']);
    const pid = t.child.pid!;
    await until(() => jsonLines(t.out()).length >= 5, 'some events');
    const kids = childrenOf(pid);
    expect(kids).toHaveLength(1);
    const childArgs = cmdline(kids[0]!)!;
    expect(childArgs.slice(1, 3)).toEqual(FLAGS);
    expect(childArgs.slice(3)).toEqual(cmdline(pid)!.slice(1));
    expect(cmdline(pid)!.some((a) => FLAGS.includes(a))).toBe(false);
    t.child.kill('SIGTERM');
    expect(await t.done).toEqual({ code: 0, signal: null });
    expect(t.out().endsWith('\n')).toBe(true);
    expect(jsonLines(t.out()).length).toBeGreaterThanOrEqual(5);
    expect(t.err()).toBe('');
    expect(cmdline(kids[0]!)).toBeUndefined();
  }, 60_000);

  test.each<[string, string[], Record<string, string>]>([
    ['HTLC_TAIL_NO_HEAP_TUNING=1', [], { HTLC_TAIL_NO_HEAP_TUNING: '1' }],
    ['node started with both flags', FLAGS, {}],
    [
      'the user sized both parts in NODE_OPTIONS',
      [],
      { NODE_OPTIONS: '--max-semi-space-size=4 --max-old-space-size=256' },
    ],
  ])(
    '%s: no child, one process',
    async (_name, nodeArgs, env) => {
      const t = tail(nodeArgs, [...sim.args, '-f', 'jsonl', '--no-stats'], env);
      await until(() => jsonLines(t.out()).length >= 3, 'some events');
      expect(childrenOf(t.child.pid!)).toEqual([]);
      t.child.kill('SIGINT');
      expect(await t.done).toEqual({ code: 0, signal: null });
    },
    60_000,
  );

  test('the user sized only the young generation: the child gets only --heap-growing-percent', async () => {
    const t = tail(['--max-semi-space-size=4'], [...sim.args, '-f', 'jsonl', '--no-stats']);
    await until(() => jsonLines(t.out()).length >= 3, 'some events');
    const kids = childrenOf(t.child.pid!);
    expect(kids).toHaveLength(1);
    expect(cmdline(kids[0]!)!.slice(1, 3)).toEqual(['--heap-growing-percent=25', '--max-semi-space-size=4']);
    t.child.kill('SIGTERM');
    expect(await t.done).toEqual({ code: 0, signal: null });
  }, 60_000);

  test('check runs in one process (here waiting with --wait for a node that never comes)', async () => {
    const silent = await silentTcpServer();
    const port = silent.port;
    await silent.close();
    const t = tail(
      [],
      [
        'check',
        '--wait',
        '--rpcserver',
        `127.0.0.1:${port}`,
        '--tlscertpath',
        sim.paths.tlsCertPath,
        '--macaroonpath',
        sim.paths.macaroonPaths.readonly,
      ],
    );
    await until(() => /waiting/.test(t.err()), 'check to wait');
    expect(cmdline(t.child.pid!)).toBeDefined();
    expect(childrenOf(t.child.pid!)).toEqual([]);
    t.child.kill('SIGKILL');
    await t.done;
  }, 60_000);

  test('a launcher killed with SIGKILL: the child stops by itself', async () => {
    const t = tail([], [...sim.args, '-f', 'jsonl', '--no-stats']);
    await until(() => jsonLines(t.out()).length >= 3, 'some events');
    const [kid] = childrenOf(t.child.pid!);
    expect(kid).toBeDefined();
    t.child.kill('SIGKILL');
    await t.done;
    await until(() => cmdline(kid!) === undefined, 'the child to end', 15_000);
  }, 60_000);

  test('the exit code passes through: a closed port is exit 4 with one line', async () => {
    const silent = await silentTcpServer();
    const port = silent.port;
    await silent.close();
    const r = await runCli([
      '--rpcserver',
      `127.0.0.1:${port}`,
      '--tlscertpath',
      sim.paths.tlsCertPath,
      '--macaroonpath',
      sim.paths.macaroonPaths.readonly,
    ]);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^htlc-tail: .*127\.0\.0\.1:\d+/);
  }, 60_000);
});
