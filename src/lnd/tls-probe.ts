/**
 * A TCP connect and TLS handshake with lnd's gRPC port, the same way the gRPC
 * channel verifies it (pinned cert or system roots, name checked against
 * tlsServerName). Used before subscribing, so a failure is reported precisely
 * (refused, timeout, wrong cert, name not covered) rather than as grpc-js's
 * generic UNAVAILABLE, and by `check`.
 */
import net from 'node:net';
import tls from 'node:tls';
import { configError, HtlcTailError } from '../errors.js';
import { classifyTlsText, connectionReason, credentialOf, type Credential } from './classify.js';
import { stepTimeoutText } from './reasons.js';
import { addressOf, type LndTarget } from './target.js';

export interface ProbeResult {
  /** The certificate lnd presented. */
  readonly peerCert: tls.PeerCertificate;
  readonly protocol: string | null;
  readonly alpn: string | false | null;
}

export type ProbeStage = 'tcp' | 'tls';

export class ProbeError extends HtlcTailError {
  constructor(
    readonly stage: ProbeStage,
    message: string,
    /** Set when waiting could fix it (nothing listens yet). */
    readonly retryable: boolean,
    /** Set when the certificate was not verified: a fresh copy of the cert file may fix it. */
    readonly credential?: Credential,
  ) {
    super('connection', message);
  }
}

/** The probe was abandoned (the tail is stopping). */
export class ProbeAborted extends Error {
  override name = 'ProbeAborted';
}

/**
 * Connects and completes the TLS handshake, then closes again. `signal`
 * abandons it at once (the promise rejects with ProbeAborted).
 */
export function probeTls(target: LndTarget, signal?: AbortSignal): Promise<ProbeResult> {
  const address = addressOf(target);
  const ctx = { address, certSource: target.certSource, macaroonSource: target.macaroonSource, call: 'TLS handshake', permission: '' };
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new ProbeAborted('stopped'));
      return;
    }
    let stage: ProbeStage = 'tcp';
    const sock = net.connect({ host: target.host, port: target.port });
    const timer = setTimeout(() => {
      const text = stepTimeoutText(stage, 'grpc', address, target.connectTimeoutMs);
      fail(
        new ProbeError(
          stage,
          stage === 'tcp'
            ? `cannot reach lnd: ${text}; check --rpcserver and firewalls, or raise --connect-timeout`
            : `${text}: is that lnd's gRPC port?`,
          true,
        ),
      );
    }, target.connectTimeoutMs);
    let settled = false;
    let tlsSock: tls.TLSSocket | undefined;
    /** The names of a certificate that failed the name check. */
    let certNames: string[] | undefined;
    const onAbort = () => fail(new ProbeAborted('stopped'));
    signal?.addEventListener('abort', onAbort, { once: true });
    const fail = (e: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      tlsSock?.destroy();
      sock.destroy();
      reject(e);
    };
    sock.once('error', (e) => {
      fail(new ProbeError('tcp', `cannot reach lnd at ${address} (${connectionReason(String((e as NodeJS.ErrnoException).code ?? e.message))}): check that lnd runs and --rpcserver is right`, true));
    });
    sock.once('connect', () => {
      stage = 'tls';
      sock.removeAllListeners('error');
      const isIp = net.isIP(target.tlsServerName) !== 0;
      tlsSock = tls.connect({
        socket: sock,
        ca: target.certPem ?? undefined,
        servername: isIp ? undefined : target.tlsServerName,
        ALPNProtocols: ['h2'],
        checkServerIdentity: (_host, cert) => {
          const err = tls.checkServerIdentity(target.tlsServerName, cert);
          if (err) certNames = subjectAltNames(cert.subjectaltname);
          return err;
        },
      });
      tlsSock.once('secureConnect', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const result: ProbeResult = {
          peerCert: tlsSock!.getPeerCertificate(),
          protocol: tlsSock!.getProtocol(),
          alpn: tlsSock!.alpnProtocol,
        };
        tlsSock!.end();
        tlsSock!.destroy();
        resolve(result);
      });
      tlsSock.once('error', (e: NodeJS.ErrnoException) => {
        const text = `${e.code ?? ''} ${e.message}`;
        if (target.certMissingPath && target.certPem === null && /verify|self[- ]signed|issuer|CERT/i.test(text)) {
          fail(
            configError(
              `TLS cert not found: ${target.certMissingPath} (and ${address} does not present a publicly signed certificate); set --tlscertpath (or --lnddir/--network) to lnd's tls.cert`,
            ),
          );
          return;
        }
        const msg =
          classifyTlsText(text, { ...ctx, serverName: target.tlsServerName, certNames }) ??
          (/ECONNRESET|socket hang up|disconnected/i.test(text)
            ? `TLS handshake with ${address} failed: the server closed the connection; is that lnd's gRPC port?`
            : `TLS handshake with ${address} failed (${e.message})`);
        fail(new ProbeError('tls', msg, false, credentialOf(text) === 'cert' ? 'cert' : undefined));
      });
    });
  });
}

/** `DNS:localhost, IP Address:127.0.0.1` → `['localhost', '127.0.0.1']`. */
export function subjectAltNames(san: string | undefined): string[] {
  if (!san) return [];
  return san
    .split(/,\s*/)
    .map((part) => /^(?:DNS|IP Address):(.*)$/.exec(part.trim())?.[1]?.trim() ?? '')
    .filter((n) => n !== '');
}
