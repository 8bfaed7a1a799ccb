/**
 * A real Prometheus server for tests: Debian's `prometheus` binary on a free
 * loopback port, a temporary config and storage directory, scraping the given
 * targets every second; queries go through its HTTP API. And `promtool`.
 *
 * Where the binaries are not installed (`.ci/run` installs the `prometheus`
 * package), `PROMETHEUS_MISSING` / `PROMTOOL_MISSING` hold one line saying so,
 * and the tests skip with it.
 */
import { describe } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

function onPath(bin: string): string | undefined {
  const r = spawnSync(bin, ['--version'], { stdio: 'ignore' });
  return r.error ? `${bin} is not installed (Debian: apt-get install -y prometheus); skipping` : undefined;
}

export const PROMETHEUS_MISSING = onPath('prometheus');
export const PROMTOOL_MISSING = onPath('promtool');

/** `describe`, or `describe.skip` under a title that says why (and one stderr line). */
export function describeIf(missing: string | undefined, name: string, fn: () => void): void {
  if (missing === undefined) {
    describe(name, fn);
    return;
  }
  process.stderr.write(`${name}: ${missing}\n`);
  describe.skip(`${name} (${missing})`, fn);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface PromSample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

export interface RunningPrometheus {
  readonly url: string;
  readonly dir: string;
  /** Instant query; rejects with Prometheus's error text for a bad expression. */
  query(expr: string): Promise<PromSample[]>;
  /** Polls `query(expr)` until `done(result)` or the timeout. */
  waitFor(expr: string, done: (r: PromSample[]) => boolean, timeoutMs?: number): Promise<PromSample[]>;
  /** Prometheus's own log so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

export interface PrometheusOptions {
  /** `host:port` targets scraped at /metrics every `scrapeIntervalS`. */
  readonly targets: readonly string[];
  readonly scrapeIntervalS?: number;
  /** Rule files (absolute paths) to load. */
  readonly ruleFiles?: readonly string[];
}

export async function startPrometheus(opts: PrometheusOptions): Promise<RunningPrometheus> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htlc-tail-prom-'));
  const every = `${opts.scrapeIntervalS ?? 1}s`;
  const config = [
    'global:',
    `  scrape_interval: ${every}`,
    `  evaluation_interval: ${every}`,
    ...(opts.ruleFiles?.length ? ['rule_files:', ...opts.ruleFiles.map((f) => `  - ${JSON.stringify(f)}`)] : []),
    'scrape_configs:',
    '  - job_name: htlc-tail',
    `    scrape_timeout: ${every}`,
    '    static_configs:',
    `      - targets: [${opts.targets.map((t) => JSON.stringify(t)).join(', ')}]`,
    '',
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'prometheus.yml'), config);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (log += c));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };

  const query = async (expr: string): Promise<PromSample[]> => {
    const res = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: expr }).toString()}`);
    const body = (await res.json()) as {
      status: string;
      error?: string;
      data?: { resultType: string; result: PromSample[] | [number, string] };
    };
    if (body.status !== 'success') throw new Error(`Prometheus rejected ${expr}: ${body.error}`);
    const r = body.data!.result;
    // A scalar (or string) result is one sample without labels.
    return body.data!.resultType === 'vector' || body.data!.resultType === 'matrix'
      ? (r as PromSample[])
      : [{ metric: {}, value: r as [number, string] }];
  };

  const waitFor = async (expr: string, done: (r: PromSample[]) => boolean, timeoutMs = 30_000) => {
    const end = Date.now() + timeoutMs;
    let last: PromSample[] = [];
    for (;;) {
      last = await query(expr);
      if (done(last)) return last;
      if (Date.now() > end)
        throw new Error(`timed out waiting for ${expr}; last result ${JSON.stringify(last)}\n${log}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  // Ready when the API answers (the TSDB is open).
  const end = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`prometheus exited with ${child.exitCode}:\n${log}`);
    }
    try {
      const r = await fetch(`${url}/-/ready`);
      if (r.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) {
      await stop();
      throw new Error(`prometheus did not become ready:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, dir, query, waitFor, log: () => log, stop };
}

/** Runs promtool with `args`, `input` on stdin. */
export function promtool(
  args: readonly string[],
  input?: string,
): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('promtool', args, { input, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
