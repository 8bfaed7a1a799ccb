/**
 * Peer aliases end to end: the built CLI against the simulated node (real
 * gRPC, TLS and macaroons). The node's six channels cover the cases: ordinary
 * aliases, one empty in ListChannels but known to the graph (GetNodeInfo),
 * non-ASCII text, an alias with an ESC sequence inside, and a private peer for
 * which lnd puts its lookup error text into `peer_alias`.
 *
 * The node's unary calls are counted by watching its channel table (every
 * GetInfo, ListChannels and GetNodeInfo answer reads `node.channels`); the
 * same hook lets a test open a channel while the tail runs.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  ALIAS_LOOKUP_FAILED,
  startSimNode,
  type SimChannel,
  type SimNodeHandle,
  type HtlcEventObject,
} from '@htlc-tail/lnd-sim';
import { runCli, type CliResult } from './run-cli.js';

const T0 = 1_700_000_000_000_000_000n;
const ESC = '\u001b';
const BAD = `bad${ESC}[31malias`;

let sim: SimNodeHandle;
let dir: string;
let base: string[];
let ids: string[];
/** Mutable copy of the node's channel table (a test adds channels to it). */
let channels: SimChannel[];
const calls = { ListChannels: 0, GetNodeInfo: 0, GetInfo: 0 };

function resetCalls(): void {
  calls.ListChannels = calls.GetNodeInfo = calls.GetInfo = 0;
}

/** The alias each channel's peer must show (undefined: none), by channel index. */
const ALIASES: ReadonlyArray<string | undefined> = [
  'ACINQ',
  'WalletOfSatoshi.com',
  '⚡ Zürich-node',
  'LNBiG [Hub-3]', // empty in ListChannels; from GetNodeInfo
  BAD,
  undefined, // private peer: lnd's error text in peer_alias, NOT_FOUND from GetNodeInfo
];

function forward(
  inCh: string,
  outCh: string,
  htlc: number,
  ts: bigint = T0 + BigInt(htlc) * 1_000_000n,
): HtlcEventObject {
  return {
    incoming_channel_id: inCh,
    incoming_htlc_id: String(htlc),
    outgoing_channel_id: outCh,
    outgoing_htlc_id: String(htlc),
    timestamp_ns: ts.toString(),
    event_type: 'FORWARD',
    forward_event: {
      info: {
        incoming_timelock: 800_140,
        outgoing_timelock: 800_100,
        incoming_amt_msat: '1001000',
        outgoing_amt_msat: '1000000',
      },
    },
  };
}

/** Line i: a forward from channel i to channel i+1 (mod 6), htlc id i. */
function ring(): { send: HtlcEventObject }[] {
  return ids.map((id, i) => ({ send: forward(id, ids[(i + 1) % ids.length]!, i) }));
}

function rawLines(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l !== '');
}

async function tail(args: readonly string[], opts: { timeoutMs?: number } = {}): Promise<CliResult> {
  return runCli([...base, ...args], { timeoutMs: opts.timeoutMs ?? 15_000 });
}

beforeAll(async () => {
  sim = await startSimNode({ seed: 41, scenario: { steps: [] }, hostileAliases: true });
  channels = [...sim.node.channels];
  ids = channels.map((c) => c.chanId.toString());
  // Count the node's unary answers: each reads the channel table from one of these functions.
  Object.defineProperty(sim.node, 'channels', {
    get() {
      const stack = new Error().stack ?? '';
      if (stack.includes('listChannelsResponse')) calls.ListChannels++;
      else if (stack.includes('getNodeInfoResponse')) calls.GetNodeInfo++;
      else if (stack.includes('getInfoResponse')) calls.GetInfo++;
      return channels;
    },
  });
  dir = await mkdtemp(path.join(os.tmpdir(), 'htlc-tail-aliases-'));
  await sim.writeLndDir(dir);
  base = ['--lnddir', dir, '--network', 'regtest'];
});

afterAll(async () => {
  await sim?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the simulated node has the awkward aliases', () => {
  test('peer_alias holds lnd lookup error text for the private peer', () => {
    expect(channels.map((c) => c.peer.listAlias)).toEqual([
      'ACINQ',
      'WalletOfSatoshi.com',
      '⚡ Zürich-node',
      '',
      BAD,
      '',
    ]);
    expect(channels[5]!.peer.graphAlias).toBeNull(); // ListChannels answers ALIAS_LOOKUP_FAILED for it
    expect(ALIAS_LOOKUP_FAILED).toBe('unable to lookup peer alias: alias for node not found');
  });
});

describe('jsonl', () => {
  let r: CliResult;
  let lines: string[];
  beforeAll(async () => {
    sim.setScenario({ steps: ring() });
    resetCalls();
    r = await tail(['-f', 'jsonl', '--count', '6']);
    lines = rawLines(r.stdout);
  });

  test('ends at --count, no warning (a peer missing from the graph is not an error)', () => {
    expect(r.stderr).toBe('');
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 });
    expect(lines).toHaveLength(6);
  });

  test.each(ALIASES.map((alias, i) => [i, alias] as const))('channel %i: alias %j on both sides', (i, alias) => {
    const incoming = JSON.parse(lines[i]!);
    const outgoing = JSON.parse(lines[(i + 5) % 6]!);
    expect(incoming.incoming_channel_id).toBe(ids[i]);
    expect(outgoing.outgoing_channel_id).toBe(ids[i]);
    expect(incoming.incoming_alias).toBe(alias);
    expect(outgoing.outgoing_alias).toBe(alias);
    expect('incoming_alias' in incoming).toBe(alias !== undefined);
    expect('outgoing_alias' in outgoing).toBe(alias !== undefined);
  });

  test('non-ASCII kept as is, the ESC JSON-escaped, lnd error text never shown as an alias', () => {
    expect(lines[2]).toContain('"incoming_alias":"⚡ Zürich-node"');
    expect(lines[4]).toContain('"incoming_alias":"bad\\u001b[31malias"');
    expect(r.stdout).not.toContain(ESC);
    expect(r.stdout).not.toContain('unable to lookup');
  });

  test('one ListChannels, one GetNodeInfo per peer with an empty alias, no GetInfo without --stats', () => {
    expect(calls).toEqual({ ListChannels: 1, GetNodeInfo: 2, GetInfo: 0 });
  });
});

describe('pretty and table escape control characters', () => {
  test.each([
    ['pretty', 'never', `(${'bad\\x1b[31malias'})`],
    ['pretty', 'always', 'bad\\x1b[31malias'],
    ['table', 'never', 'bad\\x1b['],
  ])('%s --color %s', async (format, color, escaped) => {
    sim.setScenario({ steps: ring() });
    const r = await tail(['-f', format, '--color', color, '--count', '6']);
    expect(r.stderr).toBe('');
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 });
    expect(r.stdout).toContain(escaped);
    expect(r.stdout).not.toContain(BAD);
    expect(r.stdout).not.toContain('unable to lookup');
    if (color === 'never') {
      // Nothing but printable text and newlines reaches the terminal.
      expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
      expect(r.stdout).toContain('Zürich');
      expect(r.stdout).toContain('LNBiG');
    }
  });
});

describe('--channel and friends accept an alias', () => {
  // htlc ids of the ring lines that must pass (line i: channel i → channel i+1).
  test.each([
    [
      ['--channel', 'acinq'],
      ['0', '5'],
    ],
    [
      ['--channel', 'LNBiG [Hub-3]'],
      ['2', '3'],
    ],
    [
      ['--channel', '⚡ ZÜRICH-NODE'],
      ['1', '2'],
    ],
    [['--in-channel', '⚡ Zürich-node'], ['2']],
    [['--out-channel', 'WalletOfSatoshi.com'], ['0']],
    [
      ['--channel', 'ACINQ', '--channel', 'WalletOfSatoshi.com,LNBiG [Hub-3]'],
      ['0', '1', '2', '3', '5'],
    ],
  ])('%j keeps htlcs %j', async (filter, want) => {
    // A sentinel after the ring that every filter above keeps, so the tail ends at --count
    // even when the filter wrongly drops a ring event (the ids then differ).
    sim.setScenario({
      steps: [...ring(), { send: forward(ids[0]!, ids[1]!, 99) }, { send: forward(ids[2]!, ids[3]!, 98) }],
    });
    const r = await tail(['-f', 'jsonl', '--count', String(want.length), ...filter]);
    expect(r.stderr).toBe('');
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 });
    expect(rawLines(r.stdout).map((l) => JSON.parse(l).incoming_htlc_id)).toEqual(want);
  });

  test('an alias with --no-aliases is a usage error (exit 2), nothing asked', async () => {
    resetCalls();
    const r = await tail(['--no-aliases', '--channel', 'ACINQ']);
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 2 });
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--no-aliases');
    expect(r.stdout).toBe('');
    expect(calls).toEqual({ ListChannels: 0, GetNodeInfo: 0, GetInfo: 0 });
  });
});

describe('--no-aliases', () => {
  test('no alias keys, no lookups', async () => {
    sim.setScenario({ steps: ring() });
    resetCalls();
    const r = await tail(['-f', 'jsonl', '--count', '6', '--no-aliases']);
    expect(r.stderr).toBe('');
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 });
    const evs = rawLines(r.stdout).map((l) => JSON.parse(l));
    expect(evs).toHaveLength(6);
    for (const e of evs) {
      expect(Object.keys(e).filter((k) => k.endsWith('_alias'))).toEqual([]);
      expect(e.incoming_scid).toMatch(/^\d+x\d+x\d+$/);
    }
    expect(calls).toEqual({ ListChannels: 0, GetNodeInfo: 0, GetInfo: 0 });
  });

  test('--channel by id still works without aliases', async () => {
    sim.setScenario({ steps: ring() });
    const r = await tail(['-f', 'jsonl', '--count', '2', '--no-aliases', '--channel', ids[3]!]);
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 });
    expect(rawLines(r.stdout).map((l) => JSON.parse(l).incoming_htlc_id)).toEqual(['2', '3']);
  });
});

describe('macaroons that cannot read everything: the tail goes on, one warning', () => {
  test('offchain:read only (no info:read): ListChannels aliases, GetNodeInfo ones missing', async () => {
    const mac = path.join(dir, 'offchain-only.macaroon');
    await writeFile(mac, sim.mintMacaroon([{ entity: 'offchain', action: 'read' }]));
    sim.setScenario({ steps: ring() });
    resetCalls();
    const r = await tail(['-f', 'jsonl', '--count', '6', '--macaroonpath', mac]);
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 });
    const evs = rawLines(r.stdout).map((l) => JSON.parse(l));
    expect(evs.map((e) => e.incoming_alias)).toEqual([
      'ACINQ',
      'WalletOfSatoshi.com',
      '⚡ Zürich-node',
      undefined,
      BAD,
      undefined,
    ]);
    const warn = r.stderr.split('\n').filter((l) => l !== '');
    expect(warn).toHaveLength(1);
    expect(warn[0]).toMatch(/^htlc-tail: warning: .*GetNodeInfo.*info:read/);
    expect(r.stderr).not.toMatch(/[0-9a-f]{40,}/); // no macaroon hex
    expect(calls.ListChannels).toBe(1);
  });

  test('a macaroon for the stream only (uri:/routerrpc.Router/SubscribeHtlcEvents): ids only', async () => {
    const mac = path.join(dir, 'stream-only.macaroon');
    await writeFile(mac, sim.mintMacaroon([{ entity: 'uri', action: '/routerrpc.Router/SubscribeHtlcEvents' }]));
    sim.setScenario({ steps: ring() });
    const r = await tail(['-f', 'jsonl', '--count', '6', '--macaroonpath', mac]);
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 });
    const evs = rawLines(r.stdout).map((l) => JSON.parse(l));
    expect(evs).toHaveLength(6);
    for (const e of evs) expect(Object.keys(e).filter((k) => k.endsWith('_alias'))).toEqual([]);
    const warn = r.stderr.split('\n').filter((l) => l !== '');
    expect(warn).toHaveLength(1);
    expect(warn[0]).toMatch(/^htlc-tail: warning: .*ListChannels.*offchain:read/);
  });
});

describe('lookups cut short', () => {
  test('the stream ends right after a burst (--no-reconnect): exit 6, one line on stderr, no warning about the lookups', async () => {
    sim.setScenario({ steps: ring(), then: 'end' });
    const r = await tail(['-f', 'jsonl', '--no-reconnect']);
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 6 });
    expect(rawLines(r.stdout)).toHaveLength(6);
    const err = r.stderr.split('\n').filter((l) => l !== '');
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^htlc-tail: .*stream ended.*--no-reconnect/);
  });
});

describe('a channel unknown to the book triggers a refresh (rate-limited)', () => {
  function newChannel(block: bigint, alias: string): SimChannel {
    const chanId = (block << 40n) | (7n << 16n) | 1n;
    const pubkey = '02' + block.toString(16).padStart(64, '0');
    return { ...channels[0]!, chanId, peer: { pubkey, listAlias: alias, graphAlias: alias, color: '#123456' } };
  }

  test('opened while tailing: first event ids only, then the alias; a second new channel within 30 s waits', async () => {
    sim.setScenario({ steps: [] });
    resetCalls();
    const before = sim.connections;
    const out: string[] = [];
    let buf = '';
    let child: ChildProcess | undefined;
    const done = runCli([...base, '-f', 'jsonl'], {
      timeoutMs: 20_000,
      onSpawn: (c) => (child = c),
      onStdout: (chunk) => {
        buf += chunk;
        for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
          out.push(buf.slice(0, i));
          buf = buf.slice(i + 1);
        }
      },
    });
    const until = async (cond: () => boolean, what: string): Promise<void> => {
      for (let waited = 0; !cond(); waited += 20) {
        if (waited > 10_000) throw new Error(`timed out waiting for ${what}; stdout so far:\n${out.join('\n')}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const json = (i: number) => JSON.parse(out[i]!);
    try {
      await until(() => sim.connections > before, 'the subscription');
      sim.emit(forward(ids[0]!, ids[1]!, 1));
      await until(() => out.length >= 1, 'the first event');
      expect(json(0).incoming_alias).toBe('ACINQ');
      expect(calls.ListChannels).toBe(1);

      const n1 = newChannel(870_001n, 'Fresh Peer');
      channels.push(n1);
      sim.emit(forward(n1.chanId.toString(), ids[0]!, 2));
      await until(() => out.length >= 2, 'the event on the new channel');
      expect(json(1).incoming_channel_id).toBe(n1.chanId.toString());
      expect('incoming_alias' in json(1)).toBe(false);
      expect(json(1).outgoing_alias).toBe('ACINQ');

      // The refresh runs in the background: events on the new channel get its alias once it is in.
      await until(() => calls.ListChannels >= 2, 'the refresh');
      let htlc = 3;
      for (;;) {
        const n = out.length;
        sim.emit(forward(n1.chanId.toString(), ids[0]!, htlc++));
        await until(() => out.length > n, 'an event');
        if (json(out.length - 1).incoming_alias !== undefined) break;
        if (htlc > 40) throw new Error('the refreshed alias never appeared');
      }
      expect(json(out.length - 1).incoming_alias).toBe('Fresh Peer');
      expect(calls.ListChannels).toBe(2);

      // Another new channel right away: the rate limit (30 s) holds the next refresh back.
      const n2 = newChannel(870_002n, 'Later Peer');
      channels.push(n2);
      for (let i = 0; i < 3; i++) {
        const n = out.length;
        sim.emit(forward(n2.chanId.toString(), ids[0]!, 100 + i));
        await until(() => out.length > n, 'an event on the second new channel');
        expect('incoming_alias' in json(out.length - 1)).toBe(false);
      }
      expect(calls.ListChannels).toBe(2);
    } finally {
      child?.kill('SIGINT');
    }
    const r = await done;
    channels.splice(6);
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 });
    expect(r.stderr).toBe('');
  });
});
