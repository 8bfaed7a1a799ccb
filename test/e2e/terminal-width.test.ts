/**
 * Issue 11, item 2: on a terminal, pretty and table lines never exceed its
 * width; long texts are cut with "…", a short channel id is never split; the
 * terminal's resize is followed; piped output is never cut.
 *
 * The built CLI runs under a real pseudo-terminal (test/e2e/pty-run.py, a
 * small python3 helper: os.openpty, TIOCSWINSZ on the master, which makes the
 * kernel send SIGWINCH). Line widths are measured by the helper, after ANSI
 * escapes are stripped, independently of htlc-tail's own width code.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildNode } from '@htlc-tail/lnd-sim';
import { BIN, cleanEnv, runCli } from './run-cli.js';
import { coreScenario, pooled, scid, startSimFixture, type SimFixture } from './sim-fixture.js';

const PTY_RUN = fileURLToPath(new URL('./pty-run.py', import.meta.url));
const HAVE_PYTHON = spawnSync('python3', ['-c', 'import pty, termios, fcntl'], { stdio: 'ignore' }).status === 0;
if (!HAVE_PYTHON)
  process.stderr.write('terminal-width.test.ts: skipped: python3 (with pty, termios, fcntl) is not installed\n');
const maybe = HAVE_PYTHON ? describe : describe.skip;

interface PtyLine {
  readonly t: number;
  readonly text: string;
  readonly width: number;
}
interface PtyResult {
  readonly code: number;
  readonly lines: PtyLine[];
  readonly resizedAt: number | null;
  readonly stderr: string;
}

function underPty(
  cols: number,
  args: readonly string[],
  o: { resizeAfter?: number; resizeTo?: number } = {},
): Promise<PtyResult> {
  const opts = ['--cols', String(cols)];
  if (o.resizeAfter !== undefined)
    opts.push('--resize-after', String(o.resizeAfter), '--resize-to', String(o.resizeTo));
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [PTY_RUN, ...opts, '--', process.execPath, BIN, ...args], {
      env: cleanEnv({ HOME: '/nonexistent-home' }),
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('close', () => {
      try {
        resolve(JSON.parse(out) as PtyResult);
      } catch {
        reject(new Error(`pty-run.py gave no result: ${err}`));
      }
    });
  });
}

const pool = pooled<PtyResult>(2);
const SEED = 3;
/** The demo node's short channel ids for SEED (the demo builds its node from the seed). */
const DEMO_SCIDS = buildNode(SEED).channels.map((c) => scid(c.chanId));
const DEMO = ['demo', '--seed', String(SEED), '--rate', '60', '--count', '90', '--hostile-aliases'];
const SCID_LIKE = /\d+x\d+x\d+/g;

function expectFits(r: PtyResult, cols: number): void {
  expect(r.code).toBe(0);
  expect(r.lines.length).toBeGreaterThan(10);
  const wide = r.lines.filter((l) => l.width > cols).map((l) => `${l.width}: ${l.text}`);
  expect(wide).toEqual([]);
}

/** No short channel id is cut ("…" after its digits); with `scids`, each one shown is one of them, whole. */
function expectWholeScids(lines: readonly PtyLine[], scids?: readonly string[]): void {
  for (const l of lines) {
    const plain = l.text.replace(/\u001b\[[0-9;]*m/g, '');
    expect(plain).not.toMatch(/\d+x\d*…|\d+x\d+x\d*…|\b\d{3,}…/);
    if (scids) for (const m of plain.matchAll(SCID_LIKE)) expect(scids).toContain(m[0]);
  }
}

maybe('pretty and table fit the terminal', () => {
  test.each([
    ['pretty', 80],
    ['pretty', 120],
    ['table', 80],
    ['table', 120],
  ] as const)(
    '%s at %i columns: no line wider; texts cut with …; short channel ids whole',
    async (format, cols) => {
      const r = await pool(() => underPty(cols, [...DEMO, '-f', format]));
      expectFits(r, cols);
      expectWholeScids(r.lines);
      expect(r.lines.some((l) => DEMO_SCIDS.some((c) => l.text.includes(c)))).toBe(true);
      // The lines use the width: some were cut, and some come close to it.
      expect(r.lines.some((l) => l.text.includes('…'))).toBe(true);
      expect(Math.max(...r.lines.map((l) => l.width))).toBeGreaterThan(cols - 12);
    },
    120_000,
  );

  test('piped, the same run is never cut', async () => {
    const r = await runCli([...DEMO, '-f', 'pretty', '--color', 'never'], { timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines.every((l) => !/[^ ]…/.test(l))).toBe(true);
    expect(Math.max(...lines.map((l) => l.length))).toBeGreaterThan(120);
    const table = await runCli([...DEMO, '-f', 'table', '--color', 'never'], { timeoutMs: 60_000 });
    expect(table.stdout).not.toMatch(/[^ ]…/);
    expect(table.stdout).toContain('(WalletOfSatoshi.com)');
  }, 120_000);
});

maybe('the terminal is resized while tailing', () => {
  test.each([
    [120, 80],
    [80, 120],
    [100, 60],
  ])(
    '%i → %i columns: lines follow the new width',
    async (from, to) => {
      const r = await pool(() =>
        underPty(from, [...DEMO, '--count', '150', '-f', 'pretty'], { resizeAfter: 30, resizeTo: to }),
      );
      expect(r.code).toBe(0);
      expect(r.resizedAt).not.toBeNull();
      const before = r.lines.filter((l) => l.t <= r.resizedAt!);
      // Lines formatted before the signal arrived may still be on their way: a second's grace.
      const after = r.lines.filter((l) => l.t > r.resizedAt! + 1);
      expect(after.length).toBeGreaterThan(10);
      expect(before.filter((l) => l.width > from)).toEqual([]);
      expect(after.filter((l) => l.width > to).map((l) => l.text)).toEqual([]);
      if (to > from) expect(after.some((l) => l.width > from)).toBe(true);
      else expect(before.some((l) => l.width > to)).toBe(true);
      expectWholeScids(r.lines);
    },
    120_000,
  );
});

maybe('the core scenario (max-uint64 ids, multi-line failure text, hostile alias) at 80 columns', () => {
  let fx: SimFixture;
  beforeAll(async () => {
    fx = await startSimFixture({ seed: 1, scenario: (n) => coreScenario(n, 'hold') });
  });
  afterAll(async () => {
    await fx?.cleanup();
  });
  test.each(['pretty', 'table'])(
    '%s',
    async (format) => {
      const r = await underPty(80, [...fx.args, '-f', format, '--count', '23', '--utc']);
      expectFits(r, 80);
      const scids = [...fx.node.node.channels.map((c) => scid(c.chanId)), scid('18446744073709551615')];
      expectWholeScids(r.lines, scids);
      // The max-uint64 channel (23 characters) is shown whole on the rows that name it.
      expect(r.lines.filter((l) => l.text.includes('16777215x16777215x65535')).length).toBeGreaterThan(0);
      for (const l of r.lines) expect(l.text).not.toContain('\u001b]');
    },
    120_000,
  );
});

test('without a terminal (pipes), --format pretty is byte-identical whatever COLUMNS says', async () => {
  const a = await runCli(['replay', '-', '-f', 'pretty', '--utc'], {
    input: LONG_RAW,
    env: { HOME: '/nonexistent-home', COLUMNS: '40' },
  });
  const b = await runCli(['replay', '-', '-f', 'pretty', '--utc'], { input: LONG_RAW });
  expect(a.code).toBe(0);
  expect(a.stdout).toBe(b.stdout);
  expect(a.stdout).toContain(
    'insufficient bandwidth to route htlc: the outgoing channel has too little local balance for this payment',
  );
});

const LONG_RAW =
  '{"incoming_channel_id":"930524387182051330","outgoing_channel_id":"884590090012131330","incoming_htlc_id":"9","outgoing_htlc_id":"0","timestamp_ns":"1714979289143456789","event_type":"FORWARD","link_fail_event":{"info":{"incoming_timelock":800200,"outgoing_timelock":800160,"incoming_amt_msat":"2000500","outgoing_amt_msat":"2000000"},"wire_failure":"TEMPORARY_CHANNEL_FAILURE","failure_detail":"INSUFFICIENT_BALANCE","failure_string":"insufficient bandwidth to route htlc: the outgoing channel has too little local balance for this payment"}}\n';
