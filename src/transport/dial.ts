/**
 * Opens the TCP connection for every connection to a node: directly, or
 * through a SOCKS5 proxy with the host name resolved by the proxy (socks5h:
 * the name goes to the proxy as is, so Tor `.onion` addresses work and no
 * DNS lookup leaks). TLS then runs over the returned socket
 * (`tls.connect({ socket, servername, ... })`).
 *
 * The SOCKS5 handshake is the maintained `socks` library's; this file only
 * connects to the proxy itself (to tell "proxy down" from "target
 * unreachable"), bounds the whole dial by one timeout, and turns failures
 * into DialErrors: connection errors (exit 4) that name the proxy and the
 * target, with `retryable` set when waiting or reconnecting can fix them.
 */
import net from 'node:net';
import { HtlcTailError } from '../errors.js';
import { connectionReason } from './net-reason.js';

export interface DialProxy {
  readonly host: string;
  readonly port: number;
  /** Where it was set (`--socks5`, `HTLC_TAIL_SOCKS5`, `default for .onion addresses`), for messages. */
  readonly source: string;
}

export interface DialRequest {
  /** A name (sent to the proxy unresolved), an IPv4 or an IPv6 literal (no brackets). */
  readonly host: string;
  readonly port: number;
  /** null: connect directly. */
  readonly proxy: DialProxy | null;
  /** Covers the TCP connect and the whole SOCKS5 handshake. */
  readonly timeoutMs: number;
  /** Aborting destroys the socket and rejects (stop during a dial). */
  readonly signal?: AbortSignal;
}

export type DialStage =
  /** Connecting to the target directly, or to the proxy. */
  | 'connect'
  /** The SOCKS5 handshake: the proxy answered, then failed or refused the target. */
  | 'socks';

export class DialError extends HtlcTailError {
  constructor(
    readonly stage: DialStage,
    message: string,
    /** Waiting (--wait) or reconnecting may fix it: nothing listens yet, the proxy or the target is down. */
    readonly retryable: boolean,
    /** `host:port` of the proxy, or null when dialing directly. */
    readonly proxy: string | null,
    cause?: unknown,
  ) {
    super('connection', message, { cause });
    this.name = 'DialError';
  }
}

export class DialAbortedError extends Error {
  constructor() {
    super('dial aborted');
    this.name = 'DialAbortedError';
  }
}

export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** A SOCKS5 reply code (RFC 1928) in words, and whether retrying may help. */
const SOCKS5_REPLIES: Readonly<Record<string, readonly [words: string, retryable: boolean]>> = {
  Failure: ['general SOCKS server failure', true],
  NotAllowed: ['connection not allowed by the proxy rules', false],
  NetworkUnreachable: ['network unreachable', true],
  HostUnreachable: ['host unreachable', true],
  ConnectionRefused: ['connection refused by the target', true],
  TTLExpired: ['TTL expired', true],
  CommandNotSupported: ['command not supported', false],
  AddressNotSupported: ['address type not supported', false],
};

function socksReply(message: string): { words: string; retryable: boolean } | undefined {
  const m = /rejected connection - (\w+)/.exec(message);
  if (!m) return undefined;
  const known = SOCKS5_REPLIES[m[1]!];
  return known ? { words: known[0], retryable: known[1] } : { words: `reply ${m[1]}`, retryable: true };
}

function onionHint(host: string, words: string): string {
  if (!/\.onion\.?$/i.test(host)) return '';
  if (/host unreachable|TTL expired|general/.test(words))
    return ' (for an onion address: the node or its Tor service is offline, or the address is wrong)';
  return '';
}

function connectFailure(req: DialRequest, err: NodeJS.ErrnoException): DialError {
  const reason = connectionReason(String(err.code ?? err.message));
  const target = hostPort(req.host, req.port);
  if (!req.proxy) {
    return new DialError(
      'connect',
      `cannot reach lnd at ${target} (${reason}): check that lnd runs and the address is right`,
      true,
      null,
      err,
    );
  }
  const proxy = hostPort(req.proxy.host, req.proxy.port);
  const msg =
    err.code === 'ECONNREFUSED'
      ? `SOCKS5 proxy ${proxy} refused the connection: is Tor running? (proxy ${req.proxy.source}; needed for ${target})`
      : `cannot reach SOCKS5 proxy ${proxy} (${reason}; proxy ${req.proxy.source}; needed for ${target}): is Tor running, and is the address right?`;
  return new DialError('connect', msg, true, proxy, err);
}

function handshakeFailure(req: DialRequest, proxy: DialProxy, err: Error): DialError {
  const p = hostPort(proxy.host, proxy.port);
  const target = hostPort(req.host, req.port);
  const reply = socksReply(err.message);
  if (reply) {
    return new DialError(
      'socks',
      `cannot reach ${target} through SOCKS5 proxy ${p}: the proxy answered "${reply.words}"${onionHint(req.host, reply.words)}`,
      reply.retryable,
      p,
      err,
    );
  }
  if (/authentication/i.test(err.message)) {
    return new DialError(
      'socks',
      `SOCKS5 proxy ${p} asks for a user name and password, which htlc-tail does not send; use a proxy without authentication (Tor's SocksPort)`,
      false,
      p,
      err,
    );
  }
  if (/invalid socks version|handshake response/i.test(err.message)) {
    return new DialError(
      'socks',
      `${p} is not a SOCKS5 proxy (its answer is not SOCKS5); point --socks5 at Tor's SocksPort (usually 9050)`,
      false,
      p,
      err,
    );
  }
  // "Socket closed" and socket errors during the handshake.
  return new DialError(
    'socks',
    `SOCKS5 proxy ${p} closed the connection during the handshake for ${target}; is it Tor's SocksPort (not its ControlPort)?`,
    true,
    p,
    err,
  );
}

/**
 * Opens a TCP socket to `host:port`, directly or through the SOCKS5 proxy.
 * Resolves with a connected socket (flowing paused data intact) the caller
 * owns; rejects with a DialError (or DialAbortedError when aborted).
 */
export async function dial(req: DialRequest): Promise<net.Socket> {
  // Loaded before connecting: the socket is never left without an error listener.
  const SocksClient = req.proxy ? (await import('socks')).SocksClient : undefined;
  if (req.signal?.aborted) throw new DialAbortedError();
  const first = req.proxy ?? { host: req.host, port: req.port };
  const sock = net.connect({ host: first.host, port: first.port });
  let timedOut = false;
  let aborted = false;
  let onAbort: (() => void) | undefined;
  const timer = setTimeout(() => {
    timedOut = true;
    sock.destroy();
  }, req.timeoutMs);
  const secs = `${req.timeoutMs / 1000} s`;
  const target = hostPort(req.host, req.port);
  try {
    await new Promise<void>((resolve, reject) => {
      onAbort = () => {
        aborted = true;
        sock.destroy();
      };
      req.signal?.addEventListener('abort', onAbort, { once: true });
      sock.once('connect', () => {
        sock.removeListener('error', reject);
        sock.removeListener('close', onClose);
        resolve();
      });
      const onClose = () => reject(new Error('closed'));
      sock.once('error', reject);
      sock.once('close', onClose);
    }).catch((err: NodeJS.ErrnoException) => {
      if (aborted) throw new DialAbortedError();
      if (timedOut) {
        const msg = req.proxy
          ? `SOCKS5 proxy ${hostPort(req.proxy.host, req.proxy.port)} did not answer within ${secs} (proxy ${req.proxy.source}; needed for ${target}); is Tor running? or raise --connect-timeout`
          : `cannot reach lnd at ${target}: no answer within ${secs}; check the address and firewalls, or raise --connect-timeout`;
        throw new DialError('connect', msg, true, req.proxy ? hostPort(req.proxy.host, req.proxy.port) : null, err);
      }
      throw connectFailure(req, err);
    });
    if (!req.proxy || !SocksClient) return sock;

    const proxy = req.proxy;
    try {
      const { socket } = await SocksClient.createConnection({
        command: 'connect',
        proxy: { host: proxy.host, port: proxy.port, type: 5 },
        destination: { host: req.host, port: req.port },
        existing_socket: sock,
        // Our own timer bounds the whole dial; this one only backs it up.
        timeout: req.timeoutMs + 1_000,
      });
      return socket;
    } catch (err) {
      if (aborted) throw new DialAbortedError();
      if (timedOut) {
        throw new DialError(
          'socks',
          `SOCKS5 proxy ${hostPort(proxy.host, proxy.port)} did not connect to ${target} within ${secs}; Tor may still be building a circuit: retry, or raise --connect-timeout`,
          true,
          hostPort(proxy.host, proxy.port),
          err,
        );
      }
      throw handshakeFailure(req, proxy, err as Error);
    }
  } catch (err) {
    sock.destroy();
    throw err;
  } finally {
    clearTimeout(timer);
    if (onAbort) req.signal?.removeEventListener('abort', onAbort);
  }
}
