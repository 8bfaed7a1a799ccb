/**
 * The bridge from the resolved Config to the lnd layer's TargetSpec (which
 * buildTarget turns into an LndTarget by reading the cert and macaroon files).
 */
import type { TargetSpec } from '../transport/credentials.js';
import type { Config, Endpoint } from './types.js';

/**
 * The TargetSpec for one endpoint: by default the one of the active
 * transport (rpcServer for grpc, restServer for rest/ws). The TLS server name
 * is --tls-server-name when given, else that endpoint's host.
 */
export function targetSpecOf(config: Config, endpoint?: Endpoint): TargetSpec {
  const c = config.connection;
  const ep = endpoint ?? c.restServer ?? c.rpcServer;
  const tlsServerName = c.tlsServerNameSource === '--tls-server-name' ? c.tlsServerName : ep.host;
  const cert: TargetSpec['cert'] =
    c.cert.kind === 'file'
      ? { kind: 'file', path: c.cert.path, option: c.cert.option }
      : c.cert.kind === 'pem'
        ? { kind: 'pem', pem: c.cert.pem, source: c.cert.source }
        : { kind: 'system', missingDefaultPath: c.cert.missingDefaultPath };
  let macaroon: TargetSpec['macaroon'];
  switch (c.macaroon.kind) {
    case 'file':
      macaroon = { kind: 'file', path: c.macaroon.path, option: c.macaroon.option };
      break;
    case 'bytes':
      macaroon = { kind: 'bytes', bytes: c.macaroon.bytes, source: c.macaroon.source };
      break;
    case 'none':
      macaroon = { kind: 'none', source: c.macaroon.source };
      break;
  }
  return {
    host: ep.host,
    port: ep.port,
    tlsServerName,
    cert,
    macaroon,
    connectTimeoutMs: c.connectTimeoutMs,
  };
}
