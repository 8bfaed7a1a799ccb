/**
 * A TCP connect (through dial.ts: directly or through the node's SOCKS5
 * proxy) and a TLS handshake with lnd's port, the same way the stream
 * verifies it (pinned cert or system roots, name checked against
 * tlsServerName). Used before subscribing, so a failure is reported precisely
 * (refused, timeout, wrong cert, name not covered) rather than as a generic
 * lost connection, and by `check`. Messages name the port `words` describes.
 */
import net from 'node:net';
import tls from 'node:tls';
import { configError, HtlcTailError } from '../errors.js';
import { classifyTlsText, connectionReason, credentialOf, type Credential } from './classify.js';
import { dial, DialAbortedError, DialError } from './dial.js';
import { GRPC_PORT, type PortWords } from './port-words.js';
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

export interface ProbeOptions {
  /** Abandons the probe at once (it rejects with ProbeAborted). */
  readonly signal?: AbortSignal;
  /** The port's words for messages; gRPC's when not given. */
  readonly words?: PortWords;
}

/** The dial's own bound backs up the probe's timer, which always fires first. */
const DIAL_BACKUP_MS = 1_000;

/**
 * Connects and completes the TLS handshake, then closes again. One timer
 * bounds both steps (--connect-timeout) and names the one that did not finish.
 */
export function probeTls(target: LndTarget, opts: ProbeOptions = {}): Promise<ProbeResult> {
  const { signal } = opts;
  const words = opts.words ?? GRPC_PORT;
  const address = addressOf(target);
  const ctx = {
    address,
    certSource: target.certSource,
    macaroonSource: target.macaroonSource,
    call: 'TLS handshake',
    permission: '',
    words,
  };
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new ProbeAborted('stopped'));
      return;
    }
    let stage: ProbeStage = 'tcp';
    const dialing = new AbortController();
    const timer = setTimeout(() => {
      const text = stepTimeoutText(stage, 'grpc', address, target.connectTimeoutMs);
      fail(
        new ProbeError(
          stage,
          stage === 'tcp'
            ? `cannot reach lnd: ${text}; check ${words.flag} and firewalls, or raise --connect-timeout`
            : `${text}: is that ${words.port}?`,
          true,
        ),
      );
    }, target.connectTimeoutMs);
    let settled = false;
    let sock: net.Socket | undefined;
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
      dialing.abort();
      tlsSock?.destroy();
      sock?.destroy();
      reject(e);
    };
    const dialed = (raw: net.Socket) => {
      if (settled) {
        raw.destroy();
        return;
      }
      sock = raw;
      stage = 'tls';
      const isIp = net.isIP(target.tlsServerName) !== 0;
      const t = tls.connect({
        socket: raw,
        ca: target.certPem ?? undefined,
        servername: isIp ? undefined : target.tlsServerName,
        ALPNProtocols: ['h2'],
        checkServerIdentity: (_host, cert) => {
          const err = tls.checkServerIdentity(target.tlsServerName, cert);
          if (err) certNames = subjectAltNames(cert.subjectaltname);
          return err;
        },
      });
      tlsSock = t;
      t.once('secureConnect', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const result: ProbeResult = {
          peerCert: t.getPeerCertificate(),
          protocol: t.getProtocol(),
          alpn: t.alpnProtocol,
        };
        t.end();
        t.destroy();
        resolve(result);
      });
      t.once('error', (e: NodeJS.ErrnoException) => {
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
            ? `TLS handshake with ${address} failed: the server closed the connection; is that ${words.port}?`
            : `TLS handshake with ${address} failed (${e.message})`);
        fail(new ProbeError('tls', msg, false, credentialOf(text) === 'cert' ? 'cert' : undefined));
      });
    };
    dial({
      host: target.host,
      port: target.port,
      proxy: target.proxy ?? null,
      timeoutMs: target.connectTimeoutMs + DIAL_BACKUP_MS,
      signal: dialing.signal,
    }).then(dialed, (e: unknown) => {
      if (e instanceof DialAbortedError) return; // fail() aborted it
      if (e instanceof DialError && e.proxy === null) {
        const cause = e.cause as NodeJS.ErrnoException | undefined;
        const reason = connectionReason(String(cause?.code ?? cause?.message ?? e.message));
        fail(
          new ProbeError(
            'tcp',
            `cannot reach lnd at ${address} (${reason}): check that lnd runs and ${words.flag} is right`,
            true,
          ),
        );
      } else if (e instanceof DialError) fail(new ProbeError('tcp', e.message, e.retryable));
      else fail(e instanceof Error ? e : new Error(String(e)));
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
