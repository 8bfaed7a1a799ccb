/**
 * Issue 11, items 1 and 3, end to end: help and version survive a reader that
 * goes away (exit 0, empty stderr), each command's help lists exactly the
 * options it accepts (and the others are refused), defaults in help are the
 * code's, `help [COMMAND]` works, a mistyped command is exit 2 naming the
 * closest one, --restserver without --transport rest|ws is a usage error, and
 * the top-level help groups its options.
 */
import { describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { DEFAULT_CONNECT_TIMEOUT_SEC, DEFAULT_STUCK_AFTER_SEC } from '../../src/config/defaults.js';
import { DEMO_RATE } from '@htlc-tail/lnd-sim/defaults';
import { BIN, cleanEnv, runCli } from './run-cli.js';
import { oneErrorLine, pooled } from './sim-fixture.js';

const pool = pooled<Awaited<ReturnType<typeof runCli>>>(3);
const run = (args: string[]) => pool(() => runCli(args, { timeoutMs: 60_000 }));

/**
 * Runs the CLI with its stdout read end closed before it writes (so every write
 * fails with EPIPE, whatever the timing), like `htlc-tail --help | head -0`.
 */
function withClosedStdout(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: cleanEnv({ HOME: '/nonexistent-home' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** `htlc-tail ARGS | head -1` in a shell: the exit code of htlc-tail and its stderr. */
function pipedToHead(args: string): Promise<{ code: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      'bash',
      [
        '-c',
        `"${process.execPath}" "${BIN}" ${args} 2>"$ERRFILE" | head -1 > /dev/null; echo "\${PIPESTATUS[0]}"; cat "$ERRFILE"`,
      ],
      {
        env: cleanEnv({
          HOME: '/nonexistent-home',
          ERRFILE: `/tmp/htlc-tail-help-${process.pid}-${Math.random().toString(36).slice(2)}.err`,
        }),
      },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('close', () => {
      const [code, ...rest] = out.split('\n');
      resolve({ code: code!, stderr: rest.join('\n').trim() });
    });
  });
}

const HELPS = [
  ['--help'],
  ['-h'],
  ['--version'],
  ['-V'],
  ['demo', '--help'],
  ['check', '--help'],
  ['replay', '--help'],
  ['help'],
  ['help', 'demo'],
  ['help', 'check'],
  ['help', 'replay'],
  ['help', 'help'],
];

describe('help and version: a reader that goes away ends nothing but the output', () => {
  test.each(HELPS.map((a) => [a.join(' '), a] as const))(
    'htlc-tail %s, stdout closed before it writes → exit 0, empty stderr',
    async (_n, args) => {
      const r = await withClosedStdout(args);
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    },
  );
  test.each(['--help', '--version', 'demo --help', 'help check'])(
    'htlc-tail %s | head -1 → exit 0, empty stderr',
    async (args) => {
      const r = await pipedToHead(args);
      expect(r).toEqual({ code: '0', stderr: '' });
    },
  );
});

/** The long option names a help text lists. */
function optionsOf(help: string): string[] {
  return [...help.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]!).sort();
}

const NODE = [
  '--rpcserver',
  '--lnddir',
  '--network',
  '--configfile',
  '--tlscertpath',
  '--macaroonpath',
  '--tls-server-name',
  '--lndconnect',
  '--connect-timeout',
  '--socks5',
  '--wait',
];
const STREAM = ['--no-reconnect', '--transport', '--restserver'];
const OUTPUT = [
  '--format',
  '--color',
  '--utc',
  '--no-aliases',
  '--stats',
  '--no-stats',
  '--stats-interval',
  '--stuck-after',
];
const FILTERS = [
  '--type',
  '--event',
  '--channel',
  '--in-channel',
  '--out-channel',
  '--failures',
  '--reason',
  '--min-amount',
  '--count',
];
const GENERAL = ['--help', '--debug'];
const HISTORY_RECORD = ['--db', '--retain'];

describe('each command lists exactly the options it accepts', () => {
  test.each([
    [
      'tail',
      ['--help'],
      [
        ...NODE,
        '--profile',
        '--profiles-file',
        ...STREAM,
        ...OUTPUT,
        ...FILTERS,
        '--metrics-listen',
        ...GENERAL,
        ...HISTORY_RECORD,
        '--record',
        '--since',
        '--tail',
        '--version',
      ],
    ],
    [
      'demo',
      ['demo', '--help'],
      [
        ...OUTPUT,
        ...FILTERS,
        '--metrics-listen',
        ...GENERAL,
        '--rate',
        '--seed',
        '--hostile-aliases',
        '--transport',
        '--record',
      ],
    ],
    [
      'record',
      ['record', '--help'],
      [
        ...NODE.filter((o) => o !== '--wait'),
        '--profile',
        '--profiles-file',
        '--transport',
        '--restserver',
        '--stats',
        '--no-stats',
        '--stats-interval',
        '--stuck-after',
        ...HISTORY_RECORD,
        '--metrics-listen',
        ...GENERAL,
      ],
    ],
    ['check', ['check', '--help'], [...NODE, '--profile', '--profiles-file', ...GENERAL]],
    [
      'replay',
      ['replay', '--help'],
      [
        ...OUTPUT.filter((o) => o !== '--no-aliases'),
        ...FILTERS,
        ...GENERAL,
        '--strict',
        '--db',
        '--node',
        '--since',
        '--until',
      ],
    ],
  ])('%s', async (_name, args, want) => {
    const r = await run(args);
    expect(r.code).toBe(0);
    expect(optionsOf(r.stdout)).toEqual([...want].sort());
  });

  test.each([
    ['demo', ['demo', '--rpcserver', 'x:1']],
    ['demo', ['demo', '--lnddir', '/x']],
    ['demo', ['demo', '--macaroonpath', '/x']],
    ['demo', ['demo', '--wait']],
    ['check', ['check', '--format', 'jsonl']],
    ['check', ['check', '--failures']],
    ['check', ['check', '--no-aliases']],
    ['check', ['check', '--transport', 'rest']],
    ['record', ['record', '--format', 'jsonl']],
    ['record', ['record', '--count', '5']],
    ['replay', ['replay', '--no-aliases']],
    ['replay', ['replay', '--rpcserver', 'x:1']],
    ['replay', ['replay', '--metrics-listen', ':9464']],
    ['check', ['check', '--metrics-listen', ':9464']],
  ])('%s refuses an option it does not list: %j → exit 2', async (_name, args) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(oneErrorLine(r)).toMatch(/unknown option/);
  });

  test('defaults in help are those of the code', async () => {
    const demo = (await run(['demo', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(demo).toMatch(
      new RegExp(`--rate <n> events per second the simulated node sends \\(default: ${DEMO_RATE}\\)`),
    );
    const top = (await run(['--help'])).stdout.replace(/\s+/g, ' ');
    expect(top).toContain(`(default: ${DEFAULT_CONNECT_TIMEOUT_SEC})`);
    expect(top).toContain(`(default: ${DEFAULT_STUCK_AFTER_SEC})`);
    const sim = await new Promise<string>((resolve) => {
      const child = spawn(
        process.execPath,
        [BIN.replace(/bin\/htlc-tail\.js$/, 'packages/lnd-sim/bin/htlc-tail-sim.js'), '--help'],
        { env: cleanEnv({}) },
      );
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.on('close', () => resolve(out));
    });
    expect(sim).toContain(`(default ${DEMO_RATE}; 0 = none)`);
  });
});

describe('the top-level help groups its options', () => {
  test('Connection, Output and Filters headings, each with its options', async () => {
    const help = (await run(['--help'])).stdout;
    const section = (title: RegExp) => {
      const start = help.search(title);
      expect(start).toBeGreaterThanOrEqual(0);
      const rest = help.slice(start).split('\n').slice(1);
      const end = rest.findIndex((l) => l !== '' && !l.startsWith(' '));
      return optionsOf(rest.slice(0, end < 0 ? undefined : end).join('\n'));
    };
    expect(section(/^Connection options:$/m)).toEqual([...NODE, '--profile', '--profiles-file', ...STREAM].sort());
    expect(section(/^Output options:$/m)).toEqual([...OUTPUT].sort());
    expect(section(/^Filters\b.*:$/m)).toEqual([...FILTERS].sort());
  });
});

describe('help [COMMAND]', () => {
  test.each(['demo', 'check', 'replay'])('help %s prints what --help prints', async (cmd) => {
    const [a, b] = await Promise.all([run(['help', cmd]), run([cmd, '--help'])]);
    expect(a.code).toBe(0);
    expect(a.stderr).toBe('');
    expect(a.stdout).toBe(b.stdout);
  });
  test('help alone is --help', async () => {
    const [a, b] = await Promise.all([run(['help']), run(['--help'])]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });
  test('help of an unknown command: exit 2 naming the closest', async () => {
    const r = await run(['help', 'chek']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(oneErrorLine(r)).toMatch(/unknown command "chek" \(did you mean check\?\)/);
  });
});

describe('a mistyped command is exit 2 naming the closest command', () => {
  test.each([
    ['chek', 'check'],
    ['chekc', 'check'],
    ['dmeo', 'demo'],
    ['repaly', 'replay'],
    ['replya', 'replay'],
    ['hlep', 'help'],
    ['Check', 'check'],
  ])('%s → %s', async (word, closest) => {
    const r = await run([word]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(oneErrorLine(r)).toMatch(
      new RegExp(
        `unknown command "${word}" \\(did you mean ${closest}\\?\\); the commands are demo, check, replay, help`,
      ),
    );
  });
  test('a word far from every command: exit 2, the commands listed', async () => {
    const r = await run(['zzzzzzzz']);
    expect(r.code).toBe(2);
    expect(oneErrorLine(r)).toMatch(/unknown command "zzzzzzzz"; the commands are demo, check, replay, help/);
  });
  test('options before the word do not make it an argument', async () => {
    const r = await run(['-f', 'jsonl', 'chek']);
    expect(r.code).toBe(2);
    expect(oneErrorLine(r)).toMatch(/did you mean check/);
  });
  test('"tail" is explained: tailing is the default', async () => {
    const r = await run(['tail']);
    expect(r.code).toBe(2);
    expect(oneErrorLine(r)).toMatch(/"tail" is not a command: tailing is the default/);
  });
});

describe('--restserver needs --transport rest|ws', () => {
  test('without --transport: a usage error, before any connection', async () => {
    const r = await run(['--restserver', 'localhost:8080', '--lnddir', '/nonexistent']);
    expect(r.code).toBe(2);
    expect(oneErrorLine(r)).toMatch(/--restserver .*--transport rest \(or ws\)/);
  });
  test('with --transport grpc: the same', async () => {
    const r = await run(['--restserver', 'localhost:8080', '--transport', 'grpc']);
    expect(r.code).toBe(2);
    expect(oneErrorLine(r)).toMatch(/--restserver/);
  });
});
