/**
 * The grpc-go interop server (test/interop/grpc-go/server): finds the Go
 * toolchain and Debian's packaged grpc-go, builds the server once (the
 * binary is cached under os.tmpdir(), keyed by a hash of its sources, the
 * protos and the toolchain), starts it and talks to it.
 *
 * The Go code for lnrpc and routerrpc is generated from the repository's own
 * protos/ into a temporary GOPATH at build time (nothing generated is
 * committed). Build: GOPATH mode (GO111MODULE=off) over /usr/share/gocode, no
 * network, no cgo.
 */
import { describe } from '@jest/globals';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT } from '../e2e/run-cli.js';

const GOCODE = process.env.HTLC_TAIL_GOCODE ?? '/usr/share/gocode';
const SERVER_DIR = path.join(ROOT, 'test/interop/grpc-go/server');
const PROTOS = ['lightning.proto', 'routerrpc/router.proto'];
const GO_IMPORTS: Record<string, string> = {
  'lightning.proto': 'htlctail/lnrpc',
  'routerrpc/router.proto': 'htlctail/routerrpc',
};
/** The Debian packages the interop tests need (what .ci/run installs). */
export const DEBIAN_PACKAGES =
  'golang-go golang-google-grpc-dev golang-google-protobuf-dev golang-github-golang-protobuf-1-5-dev protobuf-compiler protoc-gen-go protoc-gen-go-grpc';

const CACHE_DIR = path.join(os.tmpdir(), 'htlc-tail-interop-go');

function buildEnv(gopath: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GO111MODULE: 'off',
    GOPATH: `${gopath}${path.delimiter}${GOCODE}`,
    GOFLAGS: '',
    GOPROXY: 'off',
    CGO_ENABLED: '0',
    GOCACHE: path.join(CACHE_DIR, 'gocache'),
  };
}

/** What is missing for the interop tests, or undefined when everything is there. */
export function missingToolchain(): string | undefined {
  const missing: string[] = [];
  for (const tool of ['go', 'protoc', 'protoc-gen-go', 'protoc-gen-go-grpc']) {
    const r = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
    if (r.status !== 0) missing.push(tool);
  }
  const sources = ['google.golang.org/grpc', 'google.golang.org/protobuf', 'github.com/golang/protobuf/proto'];
  if (!sources.every((pkg) => existsSync(path.join(GOCODE, 'src', pkg))))
    missing.push(`the grpc-go and protobuf Go sources in ${GOCODE}/src`);
  if (missing.length === 0) return undefined;
  return `missing ${missing.join(', ')}; install them with: sudo apt-get install -y ${DEBIAN_PACKAGES}`;
}

/** Checked once per test file. */
let toolchainCheck: { missing: string | undefined; told: boolean } | undefined;

/**
 * `describe` when the toolchain is there; otherwise a describe-level skip
 * that says why (in its title, and once per test file on stderr). With
 * HTLC_TAIL_REQUIRE_INTEROP=1 (set by .ci/run, which installs the toolchain)
 * a missing toolchain fails instead of skipping.
 */
export function describeInterop(name: string, fn: () => void): void {
  toolchainCheck ??= { missing: missingToolchain(), told: false };
  const { missing } = toolchainCheck;
  if (missing === undefined) {
    describe(name, fn);
    return;
  }
  if (process.env.HTLC_TAIL_REQUIRE_INTEROP === '1') {
    throw new Error(`grpc-go interop tests: ${missing} (HTLC_TAIL_REQUIRE_INTEROP=1)`);
  }
  if (!toolchainCheck.told) process.stderr.write(`\ngrpc-go interop tests skipped: ${missing}\n`);
  toolchainCheck.told = true;
  describe.skip(`${name} [skipped: Go toolchain or grpc-go missing]`, fn);
}

function run(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${output}`)),
    );
  });
}

function sourceKey(): string {
  const h = createHash('sha256');
  for (const f of readdirSync(SERVER_DIR)
    .filter((n) => n.endsWith('.go'))
    .sort()) {
    h.update(f).update(readFileSync(path.join(SERVER_DIR, f)));
  }
  for (const p of PROTOS) h.update(p).update(readFileSync(path.join(ROOT, 'protos', p)));
  h.update(spawnSync('go', ['version'], { encoding: 'utf8' }).stdout ?? '');
  h.update(readFileSync(path.join(GOCODE, 'src/google.golang.org/grpc/version.go')));
  return h.digest('hex').slice(0, 16);
}

let built: Promise<string> | undefined;

/** The server binary: built once per source hash (and once per test process). */
export function buildGoServer(): Promise<string> {
  return (built ??= (async () => {
    const binary = path.join(CACHE_DIR, `server-${sourceKey()}`);
    if (existsSync(binary)) return binary;
    await mkdir(CACHE_DIR, { recursive: true });
    const work = await mkdtemp(path.join(CACHE_DIR, 'build-'));
    try {
      const gopath = path.join(work, 'gopath');
      const src = path.join(gopath, 'src');
      await mkdir(src, { recursive: true });
      const m = Object.entries(GO_IMPORTS).map(([proto, pkg]) => `M${proto}=${pkg}`);
      await run(
        'protoc',
        [
          `-I${path.join(ROOT, 'protos')}`,
          `--go_out=${src}`,
          `--go-grpc_out=${src}`,
          ...m.map((x) => `--go_opt=${x}`),
          ...m.map((x) => `--go-grpc_opt=${x}`),
          ...PROTOS,
        ],
        process.env,
        ROOT,
      );
      const out = path.join(work, 'server');
      await run('go', ['build', '-o', out, '.'], buildEnv(gopath), SERVER_DIR);
      await rename(out, binary); // atomic: a concurrent build of the same sources wins or loses whole
      return binary;
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  })());
}

/** One line the server printed (see main.go). */
export interface ServerEvent {
  readonly ev: string;
  readonly ms: number;
  readonly [key: string]: any;
}

export interface GoServerOptions {
  /** The directory tls.cert and tls.key are written to. */
  readonly tlsDir: string;
  /** The macaroon file every call must carry. */
  readonly macaroonPath: string;
  /** Default 127.0.0.1:0. */
  readonly listen?: string;
  /** grpc-go's default enforcement (MinTime 5 min) or lnd's (>= 0.17: MinTime 5 s). */
  readonly keepalive?: 'grpc-default' | 'lnd';
}

export interface GoServer {
  readonly port: number;
  readonly certPath: string;
  /** Everything the server printed so far, in order. */
  readonly events: readonly ServerEvent[];
  /** stderr of the server so far (Go panics and grpc-go logs). */
  stderr(): string;
  /** Sends a command line (see main.go). */
  send(command: string): void;
  /** The first event (from index `from`) that matches, waiting for it. */
  waitFor(pred: (e: ServerEvent) => boolean, timeoutMs?: number, from?: number): Promise<ServerEvent>;
  /** Resolves with the exit code once the process ended. */
  readonly exited: Promise<number | null>;
  /** Ends the server (EOF on stdin, then SIGKILL if it lingers). */
  stop(): Promise<void>;
}

export async function startGoServer(opts: GoServerOptions): Promise<GoServer> {
  const binary = await buildGoServer();
  const child: ChildProcessWithoutNullStreams = spawn(
    binary,
    [
      '-listen',
      opts.listen ?? '127.0.0.1:0',
      '-tlsdir',
      opts.tlsDir,
      '-macaroon',
      opts.macaroonPath,
      '-keepalive',
      opts.keepalive ?? 'grpc-default',
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const events: ServerEvent[] = [];
  const waiters = new Set<() => void>();
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  createInterface({ input: child.stdout }).on('line', (line) => {
    events.push(JSON.parse(line) as ServerEvent);
    for (const w of [...waiters]) w();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  void exited.then(() => {
    for (const w of [...waiters]) w();
  });
  let ended = false;
  void exited.then(() => (ended = true));

  const waitFor = (pred: (e: ServerEvent) => boolean, timeoutMs = 20_000, from = 0): Promise<ServerEvent> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const hit = events.slice(from).find(pred);
        if (hit) {
          done();
          resolve(hit);
        } else if (ended) {
          done();
          reject(new Error(`the grpc-go server exited before the awaited event; stderr:\n${stderr}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(
            `timed out waiting for a grpc-go server event; it printed:\n${events.map((e) => JSON.stringify(e)).join('\n')}\nstderr:\n${stderr}`,
          ),
        );
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  const listening = await waitFor((e) => e.ev === 'listening', 30_000);
  return {
    port: listening.port,
    certPath: listening.cert,
    events,
    stderr: () => stderr,
    send(command) {
      child.stdin.write(`${command}\n`);
    },
    waitFor,
    exited,
    async stop() {
      if (ended) return;
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
