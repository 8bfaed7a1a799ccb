/**
 * `--metrics-listen` on the command line (no Prometheus needed): the `node`
 * label (profile name, else the pubkey from GetInfo, else host:port), the
 * demo, a port in use (exit 3 naming the address, before connecting), a bad
 * address (exit 2), and nothing served but / and /metrics.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { simProfiles, writeProfiles } from '../fixtures/make-profiles.js';
import { freePort } from '../helpers/prometheus.js';
import type { CliResult } from './run-cli.js';
import { cli, expectExit, expectNoSecrets, oneErrorLine, startSimFixture, type SimFixture } from './sim-fixture.js';

let sim: SimFixture;

beforeAll(async () => {
  sim = await startSimFixture({ scenario: { steps: [{ generate: 5 }], then: 'hold' }, seed: 14 });
});
afterAll(() => sim?.cleanup());

/** Polls GET url until `ok(body)` (the CLI is starting and connecting). */
async function scrapeUntil(url: string, ok: (body: string) => boolean, timeoutMs = 60_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      last = await (await fetch(url)).text();
      if (ok(last)) return last;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) throw new Error(`timed out scraping ${url}; last body:\n${last.slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Runs the CLI with --metrics-listen, scrapes until the events arrived, stops it with SIGTERM. */
async function runScraped(
  args: readonly string[],
  opts: { env?: Record<string, string> } = {},
): Promise<{ body: string; r: CliResult; address: string }> {
  const address = `127.0.0.1:${await freePort()}`;
  let child: ChildProcess | undefined;
  const done = cli([...args, '-f', 'jsonl', '--metrics-listen', address], { ...opts, onSpawn: (c) => (child = c) });
  try {
    const body = await scrapeUntil(
      `http://${address}/metrics`,
      (b) =>
        /^htlc_tail_events_total\{[^}]*event="subscribed"[^}]*\} 1$/m.test(b) &&
        /^htlc_tail_events_total\{[^}]*event="forward"/m.test(b),
    );
    child!.kill('SIGTERM');
    return { body, r: await done, address };
  } finally {
    child?.kill('SIGKILL');
  }
}

const nodeLabels = (body: string): string[] => [
  ...new Set([...body.matchAll(/^htlc_tail_[a-z_]+\{node="([^"]*)"/gm)].map((m) => m[1]!)),
];

describe('the node label', () => {
  test('no profile: the pubkey from GetInfo', async () => {
    const { body, r } = await runScraped(sim.args);
    expectExit(r, 0);
    expect(nodeLabels(body)).toEqual([sim.node.node.pubkey]);
    expectNoSecrets(r, sim.secrets);
  }, 120_000);

  test('a profile: its name', async () => {
    const file = writeProfiles(path.join(sim.tmp, 'profiles.json'), simProfiles(sim.node, path.join(sim.tmp, 'lnd')));
    const { body, r } = await runScraped(['--profiles-file', file, '-p', 'plain'], {
      env: { HOME: '/nonexistent-home' },
    });
    expectExit(r, 0);
    expect(nodeLabels(body)).toEqual(['plain']);
  }, 120_000);

  test('GetInfo not permitted (no info:read): host:port', async () => {
    const mac = path.join(sim.tmp, 'offchain-read.macaroon');
    await writeFile(mac, sim.node.mintMacaroon([{ entity: 'offchain', action: 'read' }]));
    const { body, r } = await runScraped([...sim.args, '--macaroonpath', mac]);
    expectExit(r, 0);
    expect(nodeLabels(body)).toEqual([sim.node.rpcserver]);
  }, 120_000);
});

test('demo --metrics-listen: the simulated node scraped', async () => {
  const { body, r } = await runScraped(['demo', '--rate', '50', '--seed', '3']);
  expectExit(r, 0);
  expect(nodeLabels(body)).toHaveLength(1);
  expect(body).toMatch(/^htlc_tail_stream_up\{node="[0-9a-f]{66}"\} 1$/m);
  expect(body).toMatch(/^process_resident_memory_bytes /m);
}, 120_000);

test('only / and /metrics are served', async () => {
  const address = `127.0.0.1:${await freePort()}`;
  let child: ChildProcess | undefined;
  const done = cli([...sim.args, '-f', 'jsonl', '--metrics-listen', address], { onSpawn: (c) => (child = c) });
  try {
    await scrapeUntil(`http://${address}/metrics`, (b) => b.includes('htlc_tail_stream_up'));
    const index = await fetch(`http://${address}/`);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('href="/metrics"');
    for (const p of ['/favicon.ico', '/metrics/', '/debug/pprof', '/api/v1/query'])
      expect((await fetch(`http://${address}${p}`)).status).toBe(404);
    expect((await fetch(`http://${address}/metrics`, { method: 'POST' })).status).toBe(405);
    child!.kill('SIGTERM');
    expectExit(await done, 0);
  } finally {
    child?.kill('SIGKILL');
  }
}, 120_000);

describe('bad addresses', () => {
  test('a port in use: exit 3 naming the address, before connecting to lnd', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      // An lnd that does not answer: the bind failure must come first, at once.
      const r = await cli([
        '--rpcserver',
        '127.0.0.1:1',
        '--tlscertpath',
        sim.paths.tlsCertPath,
        '--macaroonpath',
        sim.paths.macaroonPaths.readonly,
        '--metrics-listen',
        `127.0.0.1:${port}`,
      ]);
      expectExit(r, 3);
      expect(oneErrorLine(r)).toMatch(
        new RegExp(`--metrics-listen 127\\.0\\.0\\.1:${port}: the address is already in use`),
      );
      const demo = await cli(['demo', '--metrics-listen', `127.0.0.1:${port}`]);
      expectExit(demo, 3);
      expect(oneErrorLine(demo)).toContain(`127.0.0.1:${port}`);
    } finally {
      holder.close();
    }
  }, 120_000);

  test.each(['9464x', 'http://127.0.0.1:9464', '::1:9464', '127.0.0.1:70000', ''])(
    '--metrics-listen %j: exit 2, one line',
    async (value) => {
      const r = await cli([...sim.args, '--metrics-listen', value]);
      expectExit(r, 2);
      expect(oneErrorLine(r)).toMatch(/--metrics-listen/);
    },
  );
});
