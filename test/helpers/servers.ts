/**
 * Servers for transport tests, closed after each test: `listen` binds any
 * net/tls/http2 server on 127.0.0.1 (a free port) and destroys its sockets at
 * cleanup. Register `runCleanups` in the test file's afterEach.
 */
import net from 'node:net';

export type Cleanup = () => Promise<void> | void;

export function cleanupList(): { readonly add: (c: Cleanup) => void; readonly run: () => Promise<void> } {
  const cleanups: Cleanup[] = [];
  return {
    add: (c) => void cleanups.push(c),
    run: async () => {
      for (const c of cleanups.splice(0).reverse()) await c();
    },
  };
}

/** Listens on a free port of 127.0.0.1; the server and its connections are closed by `cleanups`. */
export function listen(server: net.Server, cleanups: { add: (c: Cleanup) => void }): Promise<number> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });
  cleanups.add(
    () => new Promise<void>((resolve) => (sockets.forEach((s) => s.destroy()), server.close(() => resolve()))),
  );
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
  );
}
