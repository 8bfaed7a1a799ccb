/**
 * The simulated node's protos: lnd's protos (protos/ in this package) with
 * @grpc/proto-loader for its grpc-js server and the test clients, loaded
 * lazily. (The tail itself uses neither grpc-js nor proto-loader: its unary
 * calls encode with protobufjs, src/transport/grpc/messages.ts.) 64-bit
 * integers decode as strings, never as JS numbers.
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const PROTO_DIR = fileURLToPath(new URL('../../protos/', import.meta.url));

export const LOADER_OPTIONS = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_DIR],
} as const;

export type GrpcModule = typeof import('@grpc/grpc-js');

/** The loaded packages: `lnrpc` (Lightning, State) and `routerrpc` (Router). */
export interface LndProtos {
  grpc: GrpcModule;
  // grpc-js's GrpcObject is untyped by nature; callers narrow what they use.
  lnrpc: any;
  routerrpc: any;
}

let cached: Promise<LndProtos> | undefined;

export function loadProtos(): Promise<LndProtos> {
  cached ??= (async () => {
    const [grpc, loader] = await Promise.all([import('@grpc/grpc-js'), import('@grpc/proto-loader')]);
    const files = ['lightning.proto', 'stateservice.proto', path.join('routerrpc', 'router.proto')];
    const def = await loader.load(files, { ...LOADER_OPTIONS, includeDirs: [PROTO_DIR] });
    const pkg = grpc.loadPackageDefinition(def) as any;
    return { grpc, lnrpc: pkg.lnrpc, routerrpc: pkg.routerrpc };
  })();
  return cached;
}
