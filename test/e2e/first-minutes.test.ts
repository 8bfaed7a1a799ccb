/**
 * Issue 11, item 8 (smaller oddities), end to end: the demo's escape-test
 * alias only with --hostile-aliases; Ctrl-C with no events prints no empty
 * summary; on a terminal the summary starts on a line of its own after the
 * echoed ^C (under a real pseudo-terminal, test/e2e/pty-run.py); --utc times
 * say their zone. (The summary's escaping and its "By type" line are checked
 * in summary.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BIN, cleanEnv, jsonLines, runCli } from './run-cli.js';
import { cli, coreScenario, expectExit, startSimFixture, type SimFixture } from './sim-fixture.js';

const DEMO = ['demo', '--seed', '7', '--rate', '200', '--count', '300'];
const ESC_ALIAS = 'bad\u001b[31malias';

describe('the demo shows the escape-test alias only when asked', () => {
  test('by default: no alias with an escape anywhere (jsonl, pretty)', async () => {
    const r = await runCli([...DEMO, '-f', 'jsonl'], { timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    const aliases = new Set(
      jsonLines(r.stdout)
        .flatMap((l) => [l.incoming_alias, l.outgoing_alias])
        .filter(Boolean),
    );
    expect(aliases.size).toBeGreaterThan(3);
    expect([...aliases].some((a) => /[\u0000-\u001f]/.test(a))).toBe(false);
    const p = await runCli([...DEMO, '-f', 'pretty', '--color', 'never'], { timeoutMs: 60_000 });
    expect(p.stdout).not.toContain('bad\\x1b');
  }, 90_000);
  test('--hostile-aliases: the alias is there, and shown escaped', async () => {
    const r = await runCli([...DEMO, '-f', 'jsonl', '--hostile-aliases'], { timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout).some((l) => l.incoming_alias === ESC_ALIAS || l.outgoing_alias === ESC_ALIAS)).toBe(
      true,
    );
    const p = await runCli([...DEMO, '-f', 'pretty', '--color', 'never', '--hostile-aliases'], { timeoutMs: 60_000 });
    expect(p.stdout).toContain('bad\\x1b[31malias');
    expect(p.stdout).not.toContain('\u001b');
  }, 90_000);
});

describe('Ctrl-C and the summary', () => {
  let fx: SimFixture;
  beforeAll(async () => {
    fx = await startSimFixture({ seed: 1, scenario: { steps: [], then: 'hold' } as never });
  }, 60_000);
  afterAll(async () => {
    await fx?.cleanup();
  });
  test('no events: no summary at all, exit 0', async () => {
    const r = await cli([...fx.args, '--stats'], { onSpawn: (child) => setTimeout(() => child.kill('SIGINT'), 3000) });
    expectExit(r, 0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
  }, 60_000);
  test('with events, the summary is printed as before', async () => {
    fx.node.setScenario(coreScenario(fx.node.node, 'hold'));
    const r = await cli([...fx.args, '--stats', '-f', 'jsonl'], {
      onStdout: (_c, child) => setTimeout(() => child.kill('SIGINT'), 1500),
    });
    expectExit(r, 0);
    expect(r.stderr).toMatch(/^htlc-tail summary/);
  }, 60_000);
});

const PTY_RUN = fileURLToPath(new URL('./pty-run.py', import.meta.url));
const HAVE_PYTHON = spawnSync('python3', ['-c', 'import pty, termios, fcntl'], { stdio: 'ignore' }).status === 0;

(HAVE_PYTHON ? test : test.skip)(
  'on a terminal, Ctrl-C: the summary starts on a line of its own after the echoed ^C',
  async () => {
    const out = await new Promise<string>((resolve) => {
      const child = spawn(
        'python3',
        [
          PTY_RUN,
          '--cols',
          '100',
          '--stderr-tty',
          '--interrupt-after',
          '4',
          '--',
          process.execPath,
          BIN,
          'demo',
          '--rate',
          '20',
          '--stats',
        ],
        {
          env: cleanEnv({ HOME: '/nonexistent-home' }),
        },
      );
      let s = '';
      child.stdout.on('data', (c: Buffer) => (s += c.toString()));
      child.on('close', () => resolve(s));
    });
    const r = JSON.parse(out) as { code: number; lines: Array<{ text: string }> };
    expect(r.code).toBe(0);
    const lines = r.lines.map((l) => l.text.replace(/\u001b\[[0-9;]*m/g, ''));
    const at = lines.findIndex((l) => l.includes('htlc-tail summary'));
    expect(at).toBeGreaterThan(0);
    expect(lines[at]).toMatch(/^htlc-tail summary/);
    expect(lines.slice(0, at).join('\n')).toContain('^C');
  },
  90_000,
);

describe('--utc says its zone', () => {
  const RAW =
    '{"incoming_channel_id":"930524387182051330","outgoing_channel_id":"884590090012131330","incoming_htlc_id":"5","outgoing_htlc_id":"7","timestamp_ns":"1714979289123456789","event_type":"FORWARD","forward_event":{"info":{"incoming_timelock":800100,"outgoing_timelock":800060,"incoming_amt_msat":"1001000","outgoing_amt_msat":"1000000"}}}\n' +
    '{"event":"gap","from":"2024-05-06T07:08:09.200Z","to":"2024-05-06T07:08:19.456Z","reason":"lost"}\n';
  test('pretty: each time ends with Z (events and gap lines); local times do not', async () => {
    const utc = await runCli(['replay', '-', '-f', 'pretty', '--utc'], { input: RAW });
    expect(utc.stdout.split('\n')[0]).toMatch(/^2024-05-06 07:08:09\.123Z FORWARD/);
    expect(utc.stdout.split('\n')[1]).toMatch(/gap 2024-05-06 07:08:09\.200Z → 2024-05-06 07:08:19\.456Z/);
    const local = await runCli(['replay', '-', '-f', 'pretty'], {
      input: RAW,
      env: { HOME: '/nonexistent-home', TZ: 'Asia/Kolkata' },
    });
    expect(local.stdout.split('\n')[0]).toMatch(/^2024-05-06 12:38:09\.123 FORWARD/);
  });
  test('table: the header says UTC', async () => {
    const utc = await runCli(['replay', '-', '-f', 'table', '--utc'], { input: RAW });
    expect(utc.stdout.split('\n')[0]).toMatch(/^TIME \(UTC\) +TYPE/);
    const local = await runCli(['replay', '-', '-f', 'table'], { input: RAW });
    expect(local.stdout.split('\n')[0]).toMatch(/^TIME +TYPE/);
  });
});
