/**
 * Several nodes in one run, end to end: the built CLI against two and five
 * simulated nodes named by lncli profiles (a profiles file written the way
 * lncli writes it, one plain-hex and one encrypted macaroon) or by repeated
 * --lndconnect URIs. Events of all nodes merged, each line with its `node`;
 * one node restarted mid-run gives its own gap line and the others go on;
 * one node with a bad macaroon at start ends the run with exit 5 naming it;
 * `check` over several nodes.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSimNode, type SimNodeHandle } from '@htlc-tail/lnd-sim';
import { deadPort } from '../helpers/socks5-proxy.js';
import { FIXTURE_PASSWORD, lncliMacaroonName, writeProfiles, type ProfileSpec } from '../fixtures/make-profiles.js';
import { jsonLines } from './run-cli.js';
import { cli, expectExit, expectNoSecrets, macaroonSecrets } from './sim-fixture.js';

const NAMES = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'] as const;
const HOME = { HOME: '/nonexistent-home' };
const PASSWORD_ENV = { ...HOME, HTLC_TAIL_MACAROON_PASSWORD: FIXTURE_PASSWORD };

let nodes: SimNodeHandle[];
let other: SimNodeHandle;
let tmp: string;
let secrets: string[];

/** A profile for a sim node: its readonly macaroon in hex, or encrypted when `password` is given. */
function profileOf(
  name: string,
  node: SimNodeHandle,
  opts: { password?: string; macaroon?: Buffer } = {},
): ProfileSpec {
  const macaroon = opts.macaroon ?? node.macaroons.readonly;
  return {
    name,
    rpcserver: node.rpcserver,
    network: node.network,
    lnddir: path.join(tmp, name),
    tlscert: node.certPem,
    macaroons: [
      {
        name: lncliMacaroonName(`${tmp}/readonly.macaroon`),
        macaroon,
        ...(opts.password ? { password: opts.password } : {}),
      },
    ],
  };
}

function lndconnect(node: SimNodeHandle, port = node.port): string {
  const der = new X509Certificate(node.certPem).raw;
  return `lndconnect://127.0.0.1:${port}?cert=${der.toString('base64url')}&macaroon=${node.macaroons.readonly.toString('base64url')}`;
}

/** Counts stdout lines per node as they arrive and lets a test act once a node printed k events. */
function perNodeWatcher() {
  let buf = '';
  const counts = new Map<string, number>();
  const waiters: Array<{ node: string; k: number; resolve: () => void }> = [];
  return {
    onStdout(chunk: string) {
      buf += chunk;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        const o = JSON.parse(line) as { node?: string; event: string };
        if (o.event === 'gap' || o.node === undefined) continue;
        counts.set(o.node, (counts.get(o.node) ?? 0) + 1);
      }
      for (const w of waiters.splice(0)) {
        if ((counts.get(w.node) ?? 0) >= w.k) w.resolve();
        else waiters.push(w);
      }
    },
    after(node: string, k: number): Promise<void> {
      return new Promise((resolve) => waiters.push({ node, k, resolve }));
    },
  };
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'htlc-tail-nodes-'));
  nodes = [];
  for (const [i, name] of NAMES.entries()) {
    // Node 1 (beta) serves 3 events on its first connection and 2 on the next (after its restart).
    const scenario =
      i === 1
        ? { connections: [[{ generate: 3 }], [{ generate: 2 }]], then: 'hold' as const }
        : { steps: [{ generate: 3 }], then: 'hold' as const };
    nodes.push(await startSimNode({ scenario, seed: 40 + i, alias: `sim-${name}` }));
  }
  other = await startSimNode({ scenario: { steps: [{ generate: 3 }], then: 'hold' }, seed: 99 });
  secrets = [
    ...macaroonSecrets(nodes.flatMap((n) => Object.values(n.macaroons))),
    ...macaroonSecrets(Object.values(other.macaroons)),
    FIXTURE_PASSWORD,
  ];
});
afterAll(async () => {
  for (const n of nodes) await n.stop();
  await other.stop();
  rmSync(tmp, { recursive: true, force: true });
});

/** Two nodes: alpha plain, beta encrypted. */
function twoFile(): string {
  return writeProfiles(path.join(tmp, 'two.json'), {
    profiles: [profileOf('alpha', nodes[0]!), profileOf('beta', nodes[2]!, { password: FIXTURE_PASSWORD })],
  });
}

describe('two nodes by profile (a plain and an encrypted macaroon)', () => {
  test('-p alpha -p beta -f jsonl: the events of both, each line with its node; --count counts them together', async () => {
    const file = twoFile();
    const r = await cli(
      [
        '--profiles-file',
        file,
        '-p',
        'alpha',
        '-p',
        'beta',
        '-f',
        'jsonl',
        '--count',
        '6',
        '--no-aliases',
        '--no-stats',
      ],
      { env: PASSWORD_ENV },
    );
    expectExit(r, 0);
    const lines = jsonLines(r.stdout);
    expect(lines).toHaveLength(6);
    expect(lines.filter((l) => l.node === 'alpha')).toHaveLength(3);
    expect(lines.filter((l) => l.node === 'beta')).toHaveLength(3);
    // Each node's HTLCs are correlated on their own: durations only within a node.
    expect(r.stderr).toBe('');
    expectNoSecrets(r, secrets);
  });

  test('replay of a two-node jsonl capture gives it back line for line, node keys and all', async () => {
    const r = await cli(['--profiles-file', twoFile(), '-p', 'all', '-f', 'jsonl', '--count', '6', '--no-stats'], {
      env: PASSWORD_ENV,
    });
    expectExit(r, 0);
    const replayed = await cli(['replay', '-', '-f', 'jsonl'], { env: HOME, input: r.stdout });
    expectExit(replayed, 0);
    expect(replayed.stdout).toBe(r.stdout);
    expect(jsonLines(replayed.stdout).every((l) => l.node === 'alpha' || l.node === 'beta')).toBe(true);
  });

  test('--profile all: the same two nodes; -f csv fills the node column', async () => {
    const file = twoFile();
    const r = await cli(
      ['--profiles-file', file, '-p', 'all', '-f', 'csv', '--count', '6', '--no-aliases', '--no-stats'],
      { env: PASSWORD_ENV },
    );
    expectExit(r, 0);
    const rows = r.stdout.trim().split('\n');
    const header = rows[0]!.split(',');
    const col = header.indexOf('node');
    expect(col).toBe(25);
    expect(header).toHaveLength(29);
    const names = rows.slice(1).map((row) => row.split(',')[col]);
    expect(names.sort()).toEqual(['alpha', 'alpha', 'alpha', 'beta', 'beta', 'beta']);
  });

  test('-f table: a NODE column after the time; pretty: the name on every line', async () => {
    const file = twoFile();
    const t = await cli(
      [
        '--profiles-file',
        file,
        '-p',
        'all',
        '-f',
        'table',
        '--count',
        '6',
        '--no-aliases',
        '--no-stats',
        '--color',
        'never',
      ],
      { env: PASSWORD_ENV },
    );
    expectExit(t, 0);
    const [head, ...rows] = t.stdout.trimEnd().split('\n');
    expect(head).toMatch(/^TIME\s+NODE\s+TYPE/);
    expect(rows).toHaveLength(6);
    for (const row of rows) expect(row).toMatch(/^\S+\s+(alpha|beta)\s/);
    const p = await cli(
      ['--profiles-file', file, '-p', 'all', '--count', '6', '--no-aliases', '--no-stats', '--color', 'never'],
      { env: PASSWORD_ENV },
    );
    expectExit(p, 0);
    const lines = p.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(6);
    for (const l of lines) expect(l).toMatch(/^\S+ (alpha|beta) /);
  });

  test('--stats: one summary per node, each naming its node', async () => {
    const r = await cli(
      ['--profiles-file', twoFile(), '-p', 'all', '-f', 'jsonl', '--count', '6', '--no-aliases', '--stats'],
      { env: PASSWORD_ENV },
    );
    expectExit(r, 0);
    expect(r.stderr).toMatch(/htlc-tail summary: alpha/);
    expect(r.stderr).toMatch(/htlc-tail summary: beta/);
  });

  test('-f raw with several nodes: a usage error (exit 2) naming them', async () => {
    const r = await cli(['--profiles-file', twoFile(), '-p', 'all', '-f', 'raw', '--count', '6'], {
      env: PASSWORD_ENV,
    });
    expectExit(r, 2);
    expect(r.stderr.trim()).toMatch(/^htlc-tail: -f raw .* 2 nodes are named \(alpha, beta\); use -f jsonl/);
    expect(r.stdout).toBe('');
  });

  test('--rpcserver with several nodes: a usage error (it would apply to every node)', async () => {
    const r = await cli(
      ['--profiles-file', twoFile(), '-p', 'all', '--rpcserver', nodes[0]!.rpcserver, '-f', 'jsonl'],
      { env: PASSWORD_ENV },
    );
    expectExit(r, 2);
    expect(r.stderr).toMatch(/--rpcserver sets one node's connection, but 2 nodes are named \(alpha, beta\)/);
  });
});

describe('two nodes by repeated --lndconnect', () => {
  test('each line names its node by the alias GetInfo gives', async () => {
    const r = await cli(
      [
        '--lndconnect',
        lndconnect(nodes[3]!),
        '--lndconnect',
        lndconnect(nodes[4]!),
        '-f',
        'jsonl',
        '--count',
        '6',
        '--no-stats',
      ],
      { env: HOME },
    );
    expectExit(r, 0);
    const lines = jsonLines(r.stdout);
    expect(lines).toHaveLength(6);
    expect(lines.filter((l) => l.node === 'sim-delta')).toHaveLength(3);
    expect(lines.filter((l) => l.node === 'sim-epsilon')).toHaveLength(3);
  });

  test('two nodes with the same alias: the later one is told apart by its address', async () => {
    const twin = await startSimNode({
      scenario: { steps: [{ generate: 3 }], then: 'hold' },
      seed: 77,
      alias: 'sim-delta',
    });
    try {
      const r = await cli(
        [
          '--lndconnect',
          lndconnect(nodes[3]!),
          '--lndconnect',
          lndconnect(twin),
          '-f',
          'jsonl',
          '--count',
          '6',
          '--no-stats',
        ],
        { env: HOME },
      );
      expectExit(r, 0);
      const names = new Set(jsonLines(r.stdout).map((l) => l.node as string));
      expect([...names].sort()).toEqual(expect.arrayContaining(['sim-delta']));
      expect(names.size).toBe(2);
      expect([...names].some((n) => /^sim-delta \(127\.0\.0\.1:\d+\)$/.test(n))).toBe(true);
    } finally {
      await twin.stop();
    }
  });
});

describe('one node down', () => {
  test('--wait: a node that is not up yet does not hold up the other; its waiting notice names it', async () => {
    const port = await deadPort();
    const r = await cli(
      [
        '--lndconnect',
        lndconnect(nodes[3]!, port),
        '--lndconnect',
        lndconnect(nodes[4]!),
        '--wait',
        '-f',
        'jsonl',
        '--count',
        '3',
        '--no-stats',
      ],
      { env: HOME },
    );
    expectExit(r, 0);
    const lines = jsonLines(r.stdout);
    expect(lines.map((l) => l.node)).toEqual(['sim-epsilon', 'sim-epsilon', 'sim-epsilon']);
    expect(r.stderr).toMatch(new RegExp(`^htlc-tail: 127\\.0\\.0\\.1:${port}: .*waiting`, 'm'));
  });

  test('without --wait: a node unreachable at start is exit 4 naming it, as with one node', async () => {
    const port = await deadPort();
    const r = await cli(
      ['--lndconnect', lndconnect(nodes[3]!, port), '--lndconnect', lndconnect(nodes[4]!), '-f', 'jsonl', '--no-stats'],
      { env: HOME },
    );
    expectExit(r, 4);
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(
      new RegExp(`^htlc-tail: 127\\.0\\.0\\.1:${port}: cannot reach lnd at 127\\.0\\.0\\.1:${port}`),
    );
  });
});

describe('five nodes', () => {
  function fiveFile(bad?: number): string {
    return writeProfiles(path.join(tmp, `five${bad ?? ''}.json`), {
      profiles: nodes.map((n, i) =>
        profileOf(
          NAMES[i]!,
          n,
          i === bad ? { macaroon: other.macaroons.readonly } : i === 2 ? { password: FIXTURE_PASSWORD } : {},
        ),
      ),
    });
  }

  test('one restarted mid-run: only its gap line, the others go on; 17 events in all', async () => {
    const w = perNodeWatcher();
    const restarted = w.after('beta', 3).then(() => nodes[1]!.restart({ downMs: 500 }));
    const r = await cli(
      ['--profiles-file', fiveFile(), '-p', 'all', '-f', 'jsonl', '--count', '17', '--no-aliases', '--no-stats'],
      {
        env: PASSWORD_ENV,
        onStdout: (c) => w.onStdout(c),
      },
    );
    await restarted;
    expectExit(r, 0);
    const lines = jsonLines(r.stdout);
    const gaps = lines.filter((l) => l.event === 'gap');
    expect(gaps).toHaveLength(1);
    expect(gaps[0].node).toBe('beta');
    expect(Date.parse(gaps[0].to)).toBeGreaterThanOrEqual(Date.parse(gaps[0].from));
    const events = lines.filter((l) => l.event !== 'gap');
    expect(events).toHaveLength(17);
    for (const name of NAMES) expect(events.filter((l) => l.node === name)).toHaveLength(name === 'beta' ? 5 : 3);
    // beta's gap sits between its own events before and after the restart.
    const betaItems = lines.filter((l) => l.node === 'beta').map((l) => l.event);
    expect(betaItems.indexOf('gap')).toBe(3);
    // Its notices name it; nothing else was lost.
    expect(r.stderr).toMatch(/^htlc-tail: beta: lost the HTLC event stream/m);
    expect(r.stderr).not.toMatch(/(alpha|gamma|delta|epsilon): lost/);
  });

  test('one with a bad macaroon at start: exit 5, one line naming that node', async () => {
    const r = await cli(['--profiles-file', fiveFile(3), '-p', 'all', '-f', 'jsonl', '--no-aliases', '--no-stats'], {
      env: PASSWORD_ENV,
    });
    expectExit(r, 5);
    const errors = r.stderr.split('\n').filter((l) => l !== '');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^htlc-tail: delta: .*macaroon/);
    // Whatever the other nodes sent before is valid, node-labelled JSON.
    for (const l of jsonLines(r.stdout)) expect(NAMES).toContain(l.node);
    expectNoSecrets(r, secrets);
  });
});

describe('check over several nodes', () => {
  test('check -p all: a report per node, exit 0 when all are ready', async () => {
    const r = await cli(['check', '--profiles-file', twoFile(), '-p', 'all'], { env: PASSWORD_ENV });
    expectExit(r, 0);
    expect(r.stdout).toMatch(new RegExp(`^node alpha \\(${nodes[0]!.rpcserver}\\)$`, 'm'));
    expect(r.stdout).toMatch(new RegExp(`^node beta \\(${nodes[2]!.rpcserver}\\)$`, 'm'));
    expect(r.stdout.match(/^ready: htlc-tail can tail/gm)).toHaveLength(2);
    expectNoSecrets(r, secrets);
  });

  test('check with one node refusing the macaroon: both reported, exit 5', async () => {
    const file = writeProfiles(path.join(tmp, 'check-bad.json'), {
      profiles: [profileOf('alpha', nodes[0]!), profileOf('bad', nodes[1]!, { macaroon: other.macaroons.readonly })],
    });
    const r = await cli(['check', '--profiles-file', file, '-p', 'alpha', '-p', 'bad'], { env: HOME });
    expectExit(r, 5);
    expect(r.stdout).toMatch(/^ready: htlc-tail can tail/m);
    expect(r.stdout).toMatch(/^not ready: .* failed \(exit 5\)$/m);
  });

  test('check with two --lndconnect URIs', async () => {
    const r = await cli(['check', '--lndconnect', lndconnect(nodes[3]!), '--lndconnect', lndconnect(nodes[4]!)], {
      env: HOME,
    });
    expectExit(r, 0);
    expect(r.stdout.match(/^node 127\.0\.0\.1:\d+$/gm)).toHaveLength(2);
  });
});
