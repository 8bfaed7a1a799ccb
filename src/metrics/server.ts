/**
 * The metrics HTTP server (node:http): `GET /metrics` answers the exposition,
 * `GET /` a small page linking to it; HEAD works on both; any other method on
 * them is 405, any other path 404. Nothing else is served, nothing is logged.
 *
 * It never keeps the process alive on its own (the server and its sockets are
 * unref'd), and `close()` ends it, keep-alive connections included, so a run
 * ends when its command does. A bind failure (the port in use, an address no
 * interface has, a name that does not resolve, a privileged port) is a config
 * error, exit 3, naming the address and the option.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { configError } from '../errors.js';
import { formatHostPort } from '../config/listen.js';
import type { MetricsListen } from '../config/metrics-listen.js';

/** What the server serves at /metrics. */
export interface Exposition {
  readonly contentType: string;
  /** The body (a Buffer is sent as it is, a string as UTF-8). */
  render(): Promise<Buffer | string>;
}

export interface MetricsServer {
  /** The address bound, `host:port` (the real port when 0 was asked for). */
  readonly address: string;
  readonly port: number;
  /** `http://address/metrics` */
  readonly url: string;
  close(): Promise<void>;
}

const INDEX = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>htlc-tail metrics</title></head>
<body><h1>htlc-tail</h1><p><a href="/metrics">Metrics</a> (Prometheus text format)</p></body></html>
`;

function send(
  res: http.ServerResponse,
  head: boolean,
  status: number,
  type: string,
  text: Buffer | string,
  extra: http.OutgoingHttpHeaders = {},
): void {
  const body = typeof text === 'string' ? Buffer.from(text) : text;
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': body.length, ...extra });
  res.end(head ? undefined : body);
}

function handle(exposition: Exposition, req: http.IncomingMessage, res: http.ServerResponse): void {
  const path = (req.url ?? '/').split('?', 1)[0];
  const head = req.method === 'HEAD';
  if (path !== '/' && path !== '/metrics') {
    send(res, head, 404, 'text/plain; charset=utf-8', 'Not found: htlc-tail serves /metrics\n');
    return;
  }
  if (req.method !== 'GET' && !head) {
    send(res, false, 405, 'text/plain; charset=utf-8', 'Method not allowed: use GET\n', { Allow: 'GET, HEAD' });
    return;
  }
  if (path === '/') {
    send(res, head, 200, 'text/html; charset=utf-8', INDEX);
    return;
  }
  exposition.render().then(
    (body) => send(res, head, 200, exposition.contentType, body),
    () => send(res, head, 500, 'text/plain; charset=utf-8', 'htlc-tail could not render its metrics\n'),
  );
}

function bindError(listen: MetricsListen, e: NodeJS.ErrnoException): Error {
  const at = `--metrics-listen ${listen.display}`;
  switch (e.code) {
    case 'EADDRINUSE':
      return configError(
        `${at}: the address is already in use (another htlc-tail or exporter?); pick a free port or stop the process that holds it`,
        e,
      );
    case 'EADDRNOTAVAIL':
      return configError(
        `${at}: no interface of this machine has that address; use 127.0.0.1, an address of this machine, or 0.0.0.0 for every interface`,
        e,
      );
    case 'EACCES':
    case 'EPERM':
      return configError(
        `${at}: permission denied (ports below 1024 need privileges); use a port from 1024 up, e.g. 9464`,
        e,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return configError(
        `${at}: the host name does not resolve; give an IP address of this machine, e.g. 127.0.0.1`,
        e,
      );
    default:
      return configError(`${at}: cannot listen there (${e.code ?? e.message}); give another address`, e);
  }
}

/** Binds and serves; rejects with a config error (exit 3) when the address cannot be bound. */
export function startMetricsServer(listen: MetricsListen, exposition: Exposition): Promise<MetricsServer> {
  const server = http.createServer((req, res) => handle(exposition, req, res));
  server.on('connection', (socket) => socket.unref());
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => reject(bindError(listen, e));
    server.once('error', onError);
    server.listen({ host: listen.host, port: listen.port }, () => {
      server.off('error', onError);
      // After binding, a server error (none is expected) must not end the run.
      server.on('error', () => undefined);
      server.unref();
      const a = server.address() as AddressInfo;
      const address = formatHostPort({ host: a.address, port: a.port });
      let closed: Promise<void> | undefined;
      resolve({
        address,
        port: a.port,
        url: `http://${address}/metrics`,
        close: () =>
          (closed ??= new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          })),
      });
    });
  });
}
