/**
 * lnd's protos for the node's gRPC servers, loaded with @grpc/proto-loader
 * from this package's protos/ (copied from the repository's protos/ by the
 * build: one hand-maintained copy). 64-bit integers as strings, never as JS
 * numbers. Loaded once per process, on the first node's start.
 */
import { fileURLToPath } from 'node:url';

export const PROTO_DIR = fileURLToPath(new URL('../protos/', import.meta.url));
export const PROTO_FILES: readonly string[] = ['lightning.proto', 'stateservice.proto', 'routerrpc/router.proto'];

export type GrpcModule = typeof import('@grpc/grpc-js');
type ServiceConstructor = import('@grpc/grpc-js').ServiceClientConstructor;

/** The loaded packages: `lnrpc` (Lightning, State) and `routerrpc` (Router). */
export interface LndProtos {
  readonly grpc: GrpcModule;
  readonly lnrpc: { readonly Lightning: ServiceConstructor; readonly State: ServiceConstructor };
  readonly routerrpc: { readonly Router: ServiceConstructor };
}

async function load(): Promise<LndProtos> {
  const [grpc, loader] = await Promise.all([import('@grpc/grpc-js'), import('@grpc/proto-loader')]);
  const def = await loader.load([...PROTO_FILES], {
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
    includeDirs: [PROTO_DIR],
  });
  // loadPackageDefinition's GrpcObject is untyped by nature: these are the services the protos define.
  const pkg = grpc.loadPackageDefinition(def) as unknown as Pick<LndProtos, 'lnrpc' | 'routerrpc'>;
  return { grpc, lnrpc: pkg.lnrpc, routerrpc: pkg.routerrpc };
}

const loaded: { promise?: Promise<LndProtos> } = {};

/** The protos, loaded on first use. */
export function loadProtos(): Promise<LndProtos> {
  loaded.promise ??= load();
  return loaded.promise;
}
