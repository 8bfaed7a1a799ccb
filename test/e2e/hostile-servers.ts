/**
 * Peers that misbehave for the end-to-end tests: a TCP server that accepts and
 * never starts TLS, a TLS server that completes the handshake (with lnd's kind
 * of certificate, ALPN h2 or http/1.1) and then says nothing at all, and a
 * TCP proxy that can freeze its connections (a half-open path). Each writes
 * its cert where a test can point --tlscertpath.
 */
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { generateLndCert } from '@htlc-tail/lnd-sim';

export interface Hostile {
  readonly port: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  close(): Promise<void>;
}

function listenOn(server: net.Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
}

function closer(server: net.Server, sockets: Set<net.Socket>): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

/** Accepts TCP and never answers: a TLS handshake with it stays pending. */
export async function silentTcpServer(): Promise<Hostile> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((s) => {
    accepted++;
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  const port = await listenOn(server);
  return {
    port,
    get accepted() {
      return accepted;
    },
    close: closer(server, sockets),
  };
}

/**
 * Completes TLS (ALPN `alpn`: h2 as lnd's gRPC port, http/1.1 as its REST
 * port) and then sends nothing: no HTTP/2 SETTINGS, no HTTP response. Writes
 * its certificate to `<dir>/silent.cert`.
 */
export async function silentTlsServer(
  dir: string,
  alpn: 'h2' | 'http/1.1',
  opts: { port?: number; tls?: { certPem: string; keyPem: string } } = {},
): Promise<Hostile & { certPath: string }> {
  const cert = opts.tls ?? generateLndCert({});
  const certPath = path.join(dir, `silent-${alpn.replace('/', '')}.cert`);
  writeFileSync(certPath, cert.certPem);
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = tls.createServer({ key: cert.keyPem, cert: cert.certPem, ALPNProtocols: [alpn] }, (s) => {
    s.on('data', () => undefined); // read and ignore what the client says
  });
  server.on('connection', (s: net.Socket) => {
    accepted++;
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => undefined);
  const bound = await listenOn(server, opts.port ?? 0);
  return {
    port: bound,
    certPath,
    get accepted() {
      return accepted;
    },
    close: closer(server, sockets),
  };
}

/** A TCP relay to `targetPort` whose open connections can be frozen (nothing forwarded, nothing closed) or cut. */
export async function freezableProxy(
  targetPort: number,
): Promise<{ port: number; freezeExisting(): void; cutExisting(): void; close(): void }> {
  const sockets = new Set<net.Socket>();
  const links: Array<{ frozen: boolean }> = [];
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    const link = { frozen: false };
    links.push(link);
    sockets.add(client).add(upstream);
    client.on('data', (d) => void (link.frozen || upstream.write(d)));
    upstream.on('data', (d) => void (link.frozen || client.write(d)));
    const kill = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', kill);
    upstream.on('error', kill);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  const port = await listenOn(server);
  return {
    port,
    freezeExisting() {
      for (const l of links) l.frozen = true;
    },
    /** Resets the connections open now (both sides see them drop); later ones work. */
    cutExisting() {
      for (const s of sockets) s.resetAndDestroy();
      sockets.clear();
    },
    close() {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

/**
 * A TCP relay whose upstream can be replaced: stands for a node address that
 * stays the same while the node behind it is replaced (lnd restarted with a
 * new certificate and macaroons). `down()` stops listening and drops every
 * connection (the address refuses connections, as while lnd restarts);
 * `up(port)` listens again on the same address, relaying to `port`.
 */
export async function switchableProxy(
  targetPort: number,
): Promise<{ port: number; down(): Promise<void>; up(targetPort: number): Promise<void>; close(): Promise<void> }> {
  let target = targetPort;
  const sockets = new Set<net.Socket>();
  const make = () =>
    net.createServer((client) => {
      const upstream = net.connect(target, '127.0.0.1');
      sockets.add(client).add(upstream);
      client.pipe(upstream);
      upstream.pipe(client);
      const kill = () => {
        client.destroy();
        upstream.destroy();
        sockets.delete(client);
        sockets.delete(upstream);
      };
      client.on('error', kill);
      upstream.on('error', kill);
      client.on('close', kill);
      upstream.on('close', kill);
    });
  let server: net.Server | undefined = make();
  const port = await listenOn(server);
  const down = async () => {
    const s = server;
    server = undefined;
    for (const c of sockets) c.destroy();
    sockets.clear();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  return {
    port,
    down,
    async up(p: number) {
      target = p;
      server = make();
      await listenOn(server, port);
    },
    close: down,
  };
}
