/**
 * The unary calls' messages (ListChannels, GetNodeInfo, State.GetState;
 * GetInfo has its own decoder: codec/wire/decode-get-info.ts), encoded and decoded with protobufjs from lnd's protos in
 * protos/ (this package's copy). Loaded on first use (`--help` and a tail
 * with --no-aliases and no summary never load it). Answers come back in
 * proto field names (keepCase), 64-bit integers as decimal strings (never a
 * JS number), enums as their names, defaults filled in: the shape
 * lookups.ts maps, the same as lnd's REST JSON.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** protos/ of this package (dist/transport/grpc/ → the package root). */
export const PROTO_DIR = fileURLToPath(new URL('../../../protos/', import.meta.url));

const PROTO_FILES = ['lightning.proto', 'stateservice.proto'];

/** One unary method: its HTTP/2 path and its request and response codecs. */
export interface UnaryMethod {
  readonly path: string;
  encode(request: Record<string, unknown>): Uint8Array;
  /** The answer as a plain object (keepCase, uint64 as strings, enums as names). */
  decode(bytes: Uint8Array): Record<string, unknown>;
}

export interface UnaryMethods {
  readonly listChannels: UnaryMethod;
  readonly getNodeInfo: UnaryMethod;
  readonly getState: UnaryMethod;
}

const TO_OBJECT = { longs: String, enums: String, defaults: true, oneofs: true } as const;

/** Loads protobufjs and lnd's protos; each caller keeps what it loaded. */
export async function loadUnaryMethods(): Promise<UnaryMethods> {
  const protobuf = (await import('protobufjs')).default;
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (path.isAbsolute(target) ? target : path.join(PROTO_DIR, target));
  await root.load(PROTO_FILES, { keepCase: true });
  const method = (service: string, name: string): UnaryMethod => {
    const m = root.lookupService(service).methods[name];
    if (!m) throw new Error(`${service}.${name} is not in protos/`);
    m.resolve();
    const req = m.resolvedRequestType!;
    const res = m.resolvedResponseType!;
    return {
      path: `/${service}/${name}`,
      encode: (request) => req.encode(req.fromObject(request)).finish(),
      decode: (bytes) => res.toObject(res.decode(bytes), TO_OBJECT),
    };
  };
  return {
    listChannels: method('lnrpc.Lightning', 'ListChannels'),
    getNodeInfo: method('lnrpc.Lightning', 'GetNodeInfo'),
    getState: method('lnrpc.State', 'GetState'),
  };
}
