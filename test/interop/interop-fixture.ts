/**
 * What the grpc-go interop tests share: a temp dir with this "node's"
 * macaroons (minted as the simulated node mints lnd's, under a root key of
 * their own) and a grpc-go server that writes its tls.cert there; the CLI's
 * connection flags for it; a CLI run whose stdout is read only when the test
 * says so; and the expected jsonl of an event, worked out from the protojson
 * the Go server reported sending (written here from the README's schema,
 * independently of src/).
 */
import { expect } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_MACAROON_PERMISSIONS, mintMacaroon } from '../../src/macaroon/index.js';
import { BIN, cleanEnv } from '../e2e/run-cli.js';
import { macaroonSecrets, rfc3339, scid } from '../e2e/sim-fixture.js';
import { startGoServer, type GoServer, type GoServerOptions } from './go-server.js';

export interface InteropNode {
  readonly server: GoServer;
  readonly tmp: string;
  readonly readonlyMacaroon: string;
  /** Another node's readonly.macaroon (another root key). */
  readonly foreignMacaroon: string;
  /** Hex/base64 of both macaroons: never to be printed. */
  readonly secrets: readonly string[];
  /** `--rpcserver HOST:PORT --tlscertpath … --macaroonpath readonly.macaroon` */
  readonly args: readonly string[];
  /** host:port as the CLI names it. */
  readonly address: string;
  cleanup(): Promise<void>;
}

export async function startInteropNode(
  opts: Omit<GoServerOptions, 'tlsDir' | 'macaroonPath'> & { host?: string } = {},
): Promise<InteropNode> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'htlc-tail-interop-'));
  const mint = () => mintMacaroon({ rootKey: randomBytes(32), permissions: DEFAULT_MACAROON_PERMISSIONS.readonly });
  const own = mint();
  const foreign = mint();
  const readonlyMacaroon = path.join(tmp, 'readonly.macaroon');
  const foreignMacaroon = path.join(tmp, 'foreign-readonly.macaroon');
  await writeFile(readonlyMacaroon, own);
  await writeFile(foreignMacaroon, foreign);
  const host = opts.host ?? '127.0.0.1';
  const hostPort = (port: number) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);
  let server: GoServer;
  try {
    server = await startGoServer({
      ...opts,
      listen: opts.listen ?? hostPort(0),
      tlsDir: tmp,
      macaroonPath: readonlyMacaroon,
    });
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  const address = hostPort(server.port);
  return {
    server,
    tmp,
    readonlyMacaroon,
    foreignMacaroon,
    secrets: macaroonSecrets([own, foreign]),
    args: ['--rpcserver', address, '--tlscertpath', server.certPath, '--macaroonpath', readonlyMacaroon],
    address,
    async cleanup() {
      await server.stop();
      await rm(tmp, { recursive: true, force: true });
    },
  };
}

/** How long one CLI run may take before it is killed (generous: a loaded 2-core box). */
export const CLI_TIMEOUT_MS = 60_000;

export interface Spawned {
  readonly child: ChildProcess;
  /** stderr so far. */
  stderr(): string;
  /** stdout so far (only what was read: see `read`). */
  stdout(): string;
  /** Starts reading stdout (until then the child's writes back up into the pipe). */
  read(): void;
  /** Exit code (or signal name) and everything read. */
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * The built CLI with a clean environment. stdout is read at once unless
 * `paused` (a reader that is not reading): then only after `read()`.
 */
export function spawnCli(
  args: readonly string[],
  opts: { env?: Record<string, string>; paused?: boolean } = {},
): Spawned {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: cleanEnv({ HOME: '/nonexistent-home', ...opts.env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  child.stdout.setEncoding('utf8');
  const read = () => {
    if (child.stdout.listenerCount('data') === 0) child.stdout.on('data', (c: string) => (out += c));
  };
  if (!opts.paused) read();
  const timer = setTimeout(() => child.kill('SIGKILL'), CLI_TIMEOUT_MS);
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    }),
  );
  return { child, stderr: () => err, stdout: () => out, read, done };
}

/** The CLI with stdout and stderr going to one file, so their order can be checked. */
export async function runCliMerged(
  args: readonly string[],
  file: string,
): Promise<{ code: number | null; output: string }> {
  const fd = openSync(file, 'w');
  try {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: cleanEnv({ HOME: '/nonexistent-home' }),
      stdio: ['ignore', fd, fd],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), CLI_TIMEOUT_MS);
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    clearTimeout(timer);
    return { code, output: readFileSync(file, 'utf8') };
  } finally {
    closeSync(fd);
  }
}

/** Non-empty lines. */
export function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}

/** A number field's exact digits as written in a jsonl line (JSON.parse would round above 2^53). */
export function digitsOf(line: string, key: string): string | undefined {
  const m = new RegExp(`"${key}":(-?\\d+(?:\\.\\d+)?)[,}]`).exec(line);
  return m?.[1];
}

const KINDS: Record<string, string> = {
  forward_event: 'forward',
  forward_fail_event: 'forward_fail',
  settle_event: 'settle',
  link_fail_event: 'link_fail',
  subscribed_event: 'subscribed',
  final_htlc_event: 'final_htlc',
};

/**
 * Checks one jsonl line against the HtlcEvent the server sent (protojson, as
 * lnd's REST gateway writes it): its own fields, per the README's schema.
 * `aliases` maps a channel id to its peer's alias (absent: none known).
 */
export function expectJsonlMatches(line: string, sent: any, aliases: Readonly<Record<string, string>>): void {
  const got = JSON.parse(line);
  const member = Object.keys(KINDS).find((k) => k in sent);
  const side = (dir: 'incoming' | 'outgoing') => {
    const id: string = sent[`${dir}_channel_id`];
    return {
      [`${dir}_channel_id`]: id,
      [`${dir}_htlc_id`]: sent[`${dir}_htlc_id`],
      ...(id !== '0' ? { [`${dir}_scid`]: scid(id) } : {}),
    };
  };
  const expected: Record<string, unknown> = {
    event: member ? KINDS[member] : 'unknown',
    event_type: sent.event_type,
    timestamp_ns: sent.timestamp_ns,
    time: sent.timestamp_ns === '0' ? null : rfc3339(sent.timestamp_ns),
    ...side('incoming'),
    ...side('outgoing'),
  };
  const body = member ? sent[member] : undefined;
  if (member === 'link_fail_event') {
    Object.assign(expected, {
      wire_failure: body.wire_failure,
      failure_detail: body.failure_detail,
      failure_string: body.failure_string,
    });
  }
  if (member === 'settle_event' && body.preimage !== '')
    expected.preimage = Buffer.from(body.preimage, 'base64').toString('hex');
  if (member === 'final_htlc_event') Object.assign(expected, { settled: body.settled, offchain: body.offchain });
  expect(got).toMatchObject(expected);
  for (const dir of ['incoming', 'outgoing'] as const) {
    const alias = aliases[sent[`${dir}_channel_id`]];
    expect(got[`${dir}_alias`]).toBe(alias);
  }
  // The event's own HtlcInfo, digit for digit (a SEND's incoming and a RECEIVE's outgoing zeros may be left out).
  const info = body?.info;
  if (info) {
    for (const [key, omitWhenZero] of [
      ['incoming_amt_msat', sent.event_type === 'SEND'],
      ['outgoing_amt_msat', sent.event_type === 'RECEIVE'],
      ['incoming_timelock', sent.event_type === 'SEND'],
      ['outgoing_timelock', sent.event_type === 'RECEIVE'],
    ] as const) {
      const want = String(info[key]);
      if (want === '0' && omitWhenZero) expect(digitsOf(line, key)).toBeUndefined();
      else expect(`${key}=${digitsOf(line, key)}`).toBe(`${key}=${want}`);
    }
  }
}
