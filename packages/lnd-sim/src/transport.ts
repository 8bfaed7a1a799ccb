/**
 * The node's gRPC listener, by transport: `grpc-js` (a grpc-js Server, the
 * default) or `h2` (the batched node:http2 implementation, the default for
 * flood mode). Both serve the same backend with lnd's TLS material.
 */
import type { RpcBackend } from './backend.js';
import type { LndProtos } from './protos.js';
import { bindServer, buildServer } from './grpc-server.js';
import { buildH2Server, closeH2, listenH2 } from './h2-server.js';

export type TransportKind = 'grpc-js' | 'h2';

export interface Listener {
  /** Resolves with the bound port. */
  listen(host: string, port: number): Promise<number>;
  /** Stops listening and drops the connections. */
  close(): Promise<void>;
}

export function createListener(
  kind: TransportKind,
  protos: LndProtos,
  backend: RpcBackend,
  tls: { certPem: string; keyPem: string },
): Listener {
  if (kind === 'h2') {
    const h2 = buildH2Server(protos, backend, tls.certPem, tls.keyPem);
    return { listen: (host, port) => listenH2(h2, host, port), close: () => closeH2(h2) };
  }
  const server = buildServer(protos, backend);
  return {
    listen: (host, port) => bindServer(protos, server, host, port, tls.certPem, tls.keyPem),
    close: () =>
      new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 200);
        server.tryShutdown(() => {
          clearTimeout(t);
          resolve();
        });
      }),
  };
}
