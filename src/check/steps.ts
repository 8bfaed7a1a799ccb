/**
 * The eight steps of `htlc-tail check`, in order, and the state they share
 * (the resolved config, the cert and macaroon read from their files, one
 * connection for the unary calls). Each step's judgement lives in a pure
 * function beside it; this file does the I/O, every socket through the
 * transport's dial (transport/dial.ts).
 *
 *   config → cert, macaroon, tcp → tls (cert, tcp) → lnd ready (tls)
 *          → GetInfo, subscribe (lnd ready, macaroon)
 */
import { X509Certificate } from 'node:crypto';
import { resolveConfig } from '../config/resolve.js';
import type { Config, RawOptions } from '../config/types.js';
import { socksFromOptions, type SocksProxyConfig } from '../config/socks.js';
import { proxiedConfig } from '../config/nodes.js';
import type { ResolveIO } from '../config/io.js';
import type { Env } from '../config/paths.js';
import { targetSpecOf } from '../config/target-spec.js';
import { exitCodeFor } from '../errors.js';
import { classifyStatus, type ClassifyContext } from '../transport/classify.js';
import { buildTarget, type TargetSpec } from '../transport/credentials.js';
import { grpcLookups, type GrpcLookups } from '../transport/grpc/lookups.js';
import { GRPC_PORT } from '../transport/port-words.js';
import { GrpcCode, isCallStatus } from '../transport/status.js';
import { addressOf, type LndTarget } from '../transport/target.js';
import { probeTls } from '../transport/tls-probe.js';
import { certOutcome, parseCertPem } from './cert.js';
import { configOutcome, lndDirSource } from './config-summary.js';
import { macaroonOutcome, parseMacaroonFile } from './macaroon.js';
import { nodeInfoOutcome } from './node-info.js';
import { OLD_LND_STATE, walletStateOutcome } from './node-state.js';
import { firstAnswer, subscriptionOutcome } from './subscription.js';
import { tcpReachable } from './tcp.js';
import { fail, ok, warn, type Step, type StepOutcome } from './types.js';

/** A node resolved before the steps run (a profile, one of several lndconnect URIs): the config step only reports it. */
export interface CheckNode {
  readonly config: Config;
  /** The SOCKS5 proxy every connection goes through; null: direct. */
  readonly proxy: SocksProxyConfig | null;
}

/** The options of one node as check reads them: RawOptions plus --socks5. */
export type CheckNodeOptions = RawOptions & { readonly socks5?: string };

/** Everything the steps share; filled in as they run. */
export class CheckRun {
  config?: Config;
  spec?: TargetSpec;
  private cert?: Pick<LndTarget, 'certPem' | 'certSource' | 'certMissingPath'>;
  private mac?: Pick<LndTarget, 'macaroon' | 'macaroonSource'>;
  private built?: LndTarget;
  /** The unary calls (GetState, GetInfo) on one connection, made when first used. */
  private unary?: GrpcLookups;

  constructor(
    readonly opts: CheckNodeOptions,
    readonly env: Env,
    readonly io: ResolveIO,
    readonly now: () => Date = () => new Date(),
    /** Already resolved (profiles, several nodes): used as is. */
    readonly node?: CheckNode,
  ) {}

  setCert(c: Pick<LndTarget, 'certPem' | 'certSource' | 'certMissingPath'>): void {
    this.cert = c;
  }

  setMacaroon(m: Pick<LndTarget, 'macaroon' | 'macaroonSource'>): void {
    this.mac = m;
  }

  /** The target the network steps dial: the cert read by the cert step, the macaroon read by the macaroon step (none if it could not be read). */
  target(): LndTarget {
    if (this.built) return this.built;
    const spec = this.spec!;
    this.built = {
      host: spec.host,
      port: spec.port,
      tlsServerName: spec.tlsServerName,
      certPem: this.cert?.certPem ?? null,
      certSource: this.cert?.certSource ?? 'the system CA roots',
      certMissingPath: this.cert?.certMissingPath,
      macaroon: this.mac?.macaroon ?? null,
      macaroonSource: this.mac?.macaroonSource ?? 'no macaroon',
      connectTimeoutMs: spec.connectTimeoutMs,
      proxy: spec.proxy ?? null,
    };
    return this.built;
  }

  /** The unary calls to the node, on a connection of their own (opened by the first call). */
  lookups(): GrpcLookups {
    this.unary ??= grpcLookups(this.target());
    return this.unary;
  }

  classifyContext(call: string, permission: string): ClassifyContext {
    const t = this.target();
    return {
      address: addressOf(t),
      macaroonSource: t.macaroonSource,
      certSource: t.certSource,
      call,
      permission,
      words: GRPC_PORT,
    };
  }

  close(): void {
    this.unary?.close();
    this.unary = undefined;
  }
}

const configStep: Step<CheckRun> = {
  id: 'config',
  needs: [],
  run(r) {
    const node =
      r.node ??
      proxiedConfig(
        resolveConfig(r.opts, r.env, r.io),
        socksFromOptions(r.opts.socks5, r.env, r.io.platform),
        r.opts.connectTimeout !== undefined,
      );
    const config = node.config;
    r.config = config;
    // check always diagnoses the gRPC port, whatever --transport says.
    r.spec = { ...targetSpecOf(config, config.connection.rpcServer), proxy: node.proxy };
    return configOutcome(config, lndDirSource(config, r.opts, r.env, r.io.platform, r.io.homedir), node.proxy);
  },
};

const NO_MACAROON = { kind: 'none', source: 'check' } as const;

const certStep: Step<CheckRun> = {
  id: 'cert',
  needs: ['config'],
  run(r) {
    const spec = r.spec!;
    const name = spec.tlsServerName;
    if (spec.cert.kind === 'system') {
      r.setCert({ certPem: null, certSource: 'the system CA roots', certMissingPath: spec.cert.missingDefaultPath });
      if (spec.cert.missingDefaultPath) {
        return warn(
          `no cert file (none at ${spec.cert.missingDefaultPath}): the system CA roots must verify ${name}`,
          "fine for a CA-signed node; for lnd's own self-signed cert set --tlscertpath (or --lnddir)",
        );
      }
      return ok(`no cert file (${r.config!.connection.cert.source}): the system CA roots verify ${name}`);
    }
    // Read and check the cert file alone (the macaroon is the next step's).
    const t = buildTarget({ ...spec, macaroon: NO_MACAROON });
    r.setCert({ certPem: t.certPem, certSource: t.certSource });
    const option = spec.cert.kind === 'file' ? spec.cert.option : '--lndconnect';
    const x: X509Certificate = parseCertPem(t.certPem!, t.certSource, option);
    return certOutcome(x, {
      source: t.certSource,
      name,
      nameSource: r.config!.connection.tlsServerNameSource,
      now: r.now(),
    });
  },
};

const macaroonStep: Step<CheckRun> = {
  id: 'macaroon',
  needs: ['config'],
  run(r) {
    const spec = r.spec!;
    if (spec.macaroon.kind === 'none') {
      r.setMacaroon({ macaroon: null, macaroonSource: `no macaroon (${spec.macaroon.source})` });
      return ok(`none sent: ${spec.macaroon.source}`);
    }
    const t = buildTarget({ ...spec, cert: { kind: 'system' } });
    r.setMacaroon({ macaroon: t.macaroon, macaroonSource: t.macaroonSource });
    const option = spec.macaroon.kind === 'file' ? spec.macaroon.option : '--lndconnect';
    const parsed = parseMacaroonFile(t.macaroon!, t.macaroonSource, option);
    return macaroonOutcome(parsed, t.macaroonSource, r.now());
  },
};

const tcpStep: Step<CheckRun> = {
  id: 'tcp',
  needs: ['config'],
  run(r) {
    const s = r.spec!;
    return tcpReachable(s.host, s.port, addressOf(s), s.connectTimeoutMs, s.proxy ?? null);
  },
};

const tlsStep: Step<CheckRun> = {
  id: 'tls',
  needs: ['cert', 'tcp'],
  async run(r) {
    const t = r.target();
    const res = await probeTls(t, { words: GRPC_PORT });
    const by = t.certPem ? `the pinned cert ${t.certSource}` : 'the system CA roots';
    const detail = `handshake ok (${res.protocol ?? 'TLS'}${res.alpn ? `, ${res.alpn}` : ''}): verified by ${by} for ${t.tlsServerName}`;
    if (res.alpn !== 'h2')
      return warn(`${detail}; but the server did not agree on HTTP/2`, "gRPC needs HTTP/2: is that lnd's gRPC port?");
    return ok(detail);
  },
};

const readyStep: Step<CheckRun> = {
  id: 'lnd ready',
  needs: ['tls'],
  async run(r) {
    let state: string;
    try {
      state = await r.lookups().getState();
    } catch (err) {
      if (!isCallStatus(err)) throw err;
      if (err.code === GrpcCode.UNIMPLEMENTED) return warn(OLD_LND_STATE);
      const cls = classifyStatus(err.code, err.details, r.classifyContext('State.GetState', ''));
      return fail(exitCodeFor(cls.error), cls.error.message);
    }
    return walletStateOutcome(state);
  },
};

const getInfoStep: Step<CheckRun> = {
  id: 'GetInfo',
  needs: ['lnd ready', 'macaroon'],
  async run(r): Promise<StepOutcome> {
    try {
      const info = await r.lookups().getInfo();
      const c = r.config!.connection;
      const defaultMacaroon = c.macaroon.kind === 'file' && c.macaroon.source === 'default';
      return nodeInfoOutcome(info, defaultMacaroon ? { network: c.network, source: c.networkSource } : undefined);
    } catch (err) {
      if (!isCallStatus(err)) throw err;
      const cls = classifyStatus(err.code, err.details, r.classifyContext('GetInfo', 'info:read'));
      if (/permission denied/i.test(err.details) || err.code === GrpcCode.PERMISSION_DENIED) {
        return warn(`${cls.error.message}; without it there are no peer aliases or block height`);
      }
      // The tail itself does not need GetInfo: a refusal here is reported, and the subscription decides.
      if (cls.error.kind === 'refused' && cls.readiness === undefined) {
        const said = err.details.split('\n', 1)[0]!.trim() || `status ${err.code}`;
        return warn(
          `lnd refused GetInfo (${said})`,
          'the tail itself does not need GetInfo: the subscribe step decides',
        );
      }
      return fail(exitCodeFor(cls.error), cls.error.message);
    }
  },
};

const subscribeStep: Step<CheckRun> = {
  id: 'subscribe',
  needs: ['lnd ready', 'macaroon'],
  async run(r) {
    const t = r.target();
    const answer = await firstAnswer(t, t.connectTimeoutMs);
    return subscriptionOutcome(answer, r.classifyContext('SubscribeHtlcEvents', 'offchain:read'), t.connectTimeoutMs);
  },
};

export const CHECK_STEPS: readonly Step<CheckRun>[] = [
  configStep,
  certStep,
  macaroonStep,
  tcpStep,
  tlsStep,
  readyStep,
  getInfoStep,
  subscribeStep,
];
