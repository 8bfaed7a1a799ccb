/**
 * The metrics HTTP server, over real sockets: what it serves, what it refuses,
 * bind failures as config errors naming the address, and that it never keeps
 * the process alive.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import http from 'node:http';
import { parseMetricsListen } from '../../src/config/metrics-listen.js';
import { HtlcTailError } from '../../src/errors.js';
import { startMetrics, type MetricsRun } from '../../src/metrics/index.js';
import { startMetricsServer } from '../../src/metrics/server.js';
import { ROOT } from '../e2e/run-cli.js';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(url: string, method = 'GET', agent?: http.Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function bindFailure(text: string): Promise<HtlcTailError> {
  const err = await startMetricsServer(parseMetricsListen(text), {
    contentType: 'text/plain',
    render: async () => '',
  }).then(
    async (s) => {
      await s.close();
      throw new Error(`bound ${text}`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HtlcTailError);
  return err as HtlcTailError;
}

describe('metrics server', () => {
  let run: MetricsRun;
  let base: string;

  beforeAll(async () => {
    run = await startMetrics(parseMetricsListen('127.0.0.1:0'), { processMetrics: false });
    run.metrics.node('03abc').subscribed(false);
    base = `http://${run.server.address}`;
  });
  afterAll(() => run.close());

  test('reports the port it got', () => {
    expect(run.server.port).toBeGreaterThan(0);
    expect(run.server.address).toBe(`127.0.0.1:${run.server.port}`);
    expect(run.server.url).toBe(`http://127.0.0.1:${run.server.port}/metrics`);
  });

  test('GET /metrics: the exposition, Prometheus text format', async () => {
    const r = await request(`${base}/metrics`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(r.body).toContain('htlc_tail_stream_up{node="03abc"} 1\n');
    expect(r.body).toContain('# TYPE htlc_tail_events_total counter\n');
    expect(Number(r.headers['content-length'])).toBe(Buffer.byteLength(r.body));
  });

  test('a query string is ignored', async () => {
    expect((await request(`${base}/metrics?name[]=x`)).status).toBe(200);
  });

  test('GET /: a page linking to /metrics', async () => {
    const r = await request(`${base}/`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.body).toContain('<a href="/metrics">');
  });

  test.each(['/metrics', '/'])('HEAD %s: headers, no body', async (path) => {
    const r = await request(`${base}${path}`, 'HEAD');
    expect(r.status).toBe(200);
    expect(r.body).toBe('');
    expect(Number(r.headers['content-length'])).toBeGreaterThan(0);
  });

  test.each([
    ['GET', '/favicon.ico', 404],
    ['GET', '/metrics/', 404],
    ['GET', '/debug/pprof', 404],
    ['POST', '/nothing', 404],
    ['POST', '/metrics', 405],
    ['PUT', '/', 405],
    ['DELETE', '/metrics', 405],
    ['OPTIONS', '/metrics', 405],
  ])('%s %s → %d', async (method, path, status) => {
    const r = await request(`${base}${path}`, method);
    expect(r.status).toBe(status);
    if (status === 405) expect(r.headers.allow).toBe('GET, HEAD');
    expect(r.body).not.toContain('htlc_tail_');
  });
});

describe('bind failures: exit 3 (config), naming the address', () => {
  test('a port already in use', async () => {
    const first = await startMetricsServer(parseMetricsListen(':0'), {
      contentType: 'text/plain',
      render: async () => '',
    });
    try {
      const e = await bindFailure(`127.0.0.1:${first.port}`);
      expect(e.kind).toBe('config');
      expect(e.message).toBe(
        `--metrics-listen 127.0.0.1:${first.port}: the address is already in use (another htlc-tail or exporter?); pick a free port or stop the process that holds it`,
      );
    } finally {
      await first.close();
    }
  });

  test('an address no interface has', async () => {
    const e = await bindFailure('192.0.2.1:0');
    expect(e.kind).toBe('config');
    expect(e.message).toMatch(/^--metrics-listen 192\.0\.2\.1:0: no interface of this machine has that address; /);
  });

  test('a host name that does not resolve', async () => {
    const e = await bindFailure('nonexistent.invalid:0');
    expect(e.kind).toBe('config');
    expect(e.message).toMatch(/^--metrics-listen nonexistent\.invalid:0: the host name does not resolve; /);
  });
});

describe('stopping', () => {
  test('close() frees the address even with a keep-alive connection open, and is idempotent', async () => {
    const s = await startMetricsServer(parseMetricsListen(':0'), {
      contentType: 'text/plain',
      render: async () => 'x 1\n',
    });
    const agent = new http.Agent({ keepAlive: true });
    try {
      expect((await request(s.url, 'GET', agent)).status).toBe(200);
      await Promise.all([s.close(), s.close()]);
      await expect(request(s.url)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      const again = await startMetricsServer(parseMetricsListen(`127.0.0.1:${s.port}`), {
        contentType: 'text/plain',
        render: async () => '',
      });
      await again.close();
    } finally {
      agent.destroy();
    }
  });

  test('a server left open does not keep the process alive', async () => {
    const script = `
      const { startMetrics } = await import(${JSON.stringify(`${ROOT}dist/metrics/index.js`)});
      const { parseMetricsListen } = await import(${JSON.stringify(`${ROOT}dist/config/metrics-listen.js`)});
      const run = await startMetrics(parseMetricsListen(':0'));
      const http = await import('node:http');
      const agent = new http.Agent({ keepAlive: true });
      http.get(run.server.url, { agent }, (res) => { res.resume(); res.on('end', () => console.log('scraped', res.statusCode)); });
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    const code = await new Promise<number | null>((resolve) => {
      const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.on('close', (c) => {
        clearTimeout(t);
        resolve(c);
      });
    });
    expect(out).toBe('scraped 200\n');
    expect(code).toBe(0);
  });
});
