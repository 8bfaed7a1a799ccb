/**
 * Turns what lnd or the network said into one HtlcTailError with the
 * documented exit code and a one-line message: what failed, where, and what to
 * do next. Pure: input is the status code and text, plus the target's names
 * and the words for the port it dialed (port-words.ts), so gRPC and REST
 * messages name their own option and port.
 *
 * lnd answers refusals with gRPC status UNKNOWN and a plain text, so the text
 * is matched (LND-FACTS "Authentication").
 */
import { HtlcTailError } from '../errors.js';
import { GRPC_PORT, type PortWords } from './port-words.js';
import { GrpcCode, grpcCodeName, type StreamStatus } from './status.js';
import { connectionReason } from './net-reason.js';
import { addressOf } from './target.js';

export { connectionReason } from './net-reason.js';

export interface ClassifyContext {
  /** host:port */
  readonly address: string;
  readonly macaroonSource: string;
  readonly certSource: string;
  /** What was being done, e.g. "SubscribeHtlcEvents". */
  readonly call: string;
  /** The permission the call needs, e.g. "offchain:read". */
  readonly permission: string;
  /** The name the certificate was verified against (--tls-server-name, else the host), when known. */
  readonly serverName?: string;
  /** The names the presented certificate lists (DNS names and IPs), when known. */
  readonly certNames?: readonly string[];
  /** How to name the option and port dialed; gRPC's when not given. */
  readonly words?: PortWords;
}

/** The context for SubscribeHtlcEvents on a target, for the port `words` names. */
export function subscribeContext(
  t: { host: string; port: number; certSource: string; macaroonSource: string },
  words: PortWords = GRPC_PORT,
): ClassifyContext {
  return {
    address: addressOf(t),
    certSource: t.certSource,
    macaroonSource: t.macaroonSource,
    call: 'SubscribeHtlcEvents',
    permission: 'offchain:read',
    words,
  };
}

/** A condition that --wait may retry: the node is not up or not ready yet. */
export type Readiness = 'unreachable' | 'locked' | 'not-created' | 'starting' | undefined;

export interface Classified {
  readonly error: HtlcTailError;
  /** Set when waiting could fix it. */
  readonly readiness: Readiness;
  /** lnd is shutting down or the stream ended on its side: a lost stream. */
  readonly streamLost: boolean;
  /** The text while retrying (--wait, reconnecting): the error's, without advice to pass --wait. */
  readonly notice?: string;
  /** lnd (or the TLS handshake) rejected a credential: a fresh copy of that file may fix it. */
  readonly credential?: Credential;
}

export type Credential = 'cert' | 'macaroon';

/** The text to show while retrying. */
export function noticeOf(c: Classified): string {
  return c.notice ?? c.error.message;
}

/** Which credential a rejection text is about: a TLS verification failure (cert) or a refused macaroon. */
export function credentialOf(text: string): Credential | undefined {
  if (CERT_NOT_VERIFIED.test(text)) return 'cert';
  if (MACAROON_REJECTED.test(text) || /macaroon has expired|caveat .*not satisfied/i.test(text)) return 'macaroon';
  return undefined;
}

const CERT_NOT_VERIFIED =
  /self[- ]signed|unable to verify|UNABLE_TO_VERIFY|DEPTH_ZERO|certificate signature failure|unable to get (local )?issuer|CERT_SIGNATURE_FAILURE|certificate verify failed/i;
const MACAROON_REJECTED =
  /verification failed|signature mismatch|root key with id|unmarshal macaroon|decode macaroon|invalid macaroon/i;

const PERMISSION_HINT: Record<string, string> = {
  'offchain:read': 'readonly.macaroon, admin.macaroon and router.macaroon have it (invoice.macaroon does not)',
  'info:read': 'readonly.macaroon and admin.macaroon have it',
};

/** The first line of a text, trimmed, without a trailing period. */
function firstLine(s: string): string {
  return s.split('\n', 1)[0]!.trim();
}

/**
 * What a stream's final status means: a step that timed out, else what lnd
 * or the connection said. `answered`: lnd had accepted the call (its response
 * headers, an HTTP 200, the WebSocket upgrade), so a status without a
 * transport cause is lnd ending the call, not a connection problem.
 */
export function classifyStreamStatus(s: StreamStatus, ctx: ClassifyContext, answered = false): Classified {
  if (s.cause === 'timeout') return classifyStepTimeout(s, ctx.words);
  return classifyStatus(s.code, s.details, ctx, answered && s.cause === undefined);
}

/**
 * `lndEnded`: lnd accepted the call and then ended it with this status, so
 * the connection works; an INTERNAL, UNAVAILABLE or CANCELLED is then worded
 * as lnd's error, not as a connection problem (it is retried all the same).
 */
export function classifyStatus(code: number, details: string, ctx: ClassifyContext, lndEnded = false): Classified {
  const d = details ?? '';
  const words = ctx.words ?? GRPC_PORT;
  const mk = (
    kind: HtlcTailError['kind'],
    msg: string,
    readiness?: Readiness,
    streamLost = false,
    notice?: string,
  ): Classified => {
    const credential = kind === 'refused' ? credentialOf(d) : undefined;
    return {
      error: new HtlcTailError(kind, msg),
      readiness,
      streamLost,
      ...(notice ? { notice } : {}),
      ...(credential ? { credential } : {}),
    };
  };
  const at = `lnd at ${ctx.address}`;

  if (/wallet locked/i.test(d)) {
    const m = `${at}: wallet locked: unlock it (lncli unlock)`;
    return mk('refused', `${m}, or pass --wait to wait until it is`, 'locked', false, m);
  }
  if (/wallet not created/i.test(d)) {
    const m = `${at}: wallet not created yet: create it (lncli create)`;
    return mk('refused', `${m}, or pass --wait`, 'not-created', false, m);
  }
  if (
    /waiting to start|in the process of starting up|not yet ready to accept calls|server is still starting/i.test(d)
  ) {
    const m = `${at}: lnd is still starting and not ready for calls`;
    return mk('refused', `${m}: try again shortly, or pass --wait`, 'starting', false, m);
  }
  if (/expected 1 macaroon, got 0/i.test(d)) {
    return mk('refused', `${at} expects a macaroon and got none: check --macaroonpath (${ctx.macaroonSource})`);
  }
  if (MACAROON_REJECTED.test(d)) {
    return mk(
      'refused',
      `${at} rejected the macaroon ${ctx.macaroonSource} (${firstLine(d)}): it belongs to another node or was altered; use this node's readonly.macaroon (--macaroonpath)`,
    );
  }
  if (/caveat .*not satisfied|ipaddr|iprange/i.test(d) && !/permission denied/i.test(d)) {
    return mk(
      'refused',
      `${at} rejected the macaroon ${ctx.macaroonSource}: a caveat is not satisfied (${firstLine(d)})`,
    );
  }
  if (/macaroon has expired/i.test(d)) {
    return mk(
      'refused',
      `${at}: the macaroon ${ctx.macaroonSource} has expired: bake a new one (lncli bakemacaroon) or use readonly.macaroon`,
    );
  }
  // lnd says "permission denied" in the text; a bare PERMISSION_DENIED from an HTTP 403 or a
  // reset stream comes from something in between (a proxy), not from the macaroon.
  if (
    /permission denied/i.test(d) ||
    (code === GrpcCode.PERMISSION_DENIED && !/^Received (HTTP status|RST_STREAM)/.test(d))
  ) {
    const hint = PERMISSION_HINT[ctx.permission] ?? 'bake one that has it (lncli bakemacaroon)';
    return mk(
      'refused',
      `${at} denied ${ctx.call}: the macaroon ${ctx.macaroonSource} lacks ${ctx.permission}; ${hint}`,
    );
  }
  if (/htlc event subscription terminated|server shutting down|shutting down/i.test(d)) {
    return mk('stream-ended', `${at} ended the stream: ${firstLine(d)}`, undefined, true);
  }
  if (code === GrpcCode.UNIMPLEMENTED) {
    return mk('refused', `${at} does not serve ${ctx.call} (${firstLine(d)}): is routerrpc enabled in this lnd build?`);
  }
  if (code === GrpcCode.UNAUTHENTICATED) {
    return mk(
      'refused',
      `${at} refused the credentials (${firstLine(d)}): check --macaroonpath (${ctx.macaroonSource})`,
    );
  }
  if (code === GrpcCode.DEADLINE_EXCEEDED) {
    return mk(
      'connection',
      `${at} did not answer in time: check that lnd runs and ${words.flag} is right, or raise --connect-timeout`,
      'unreachable',
      true,
    );
  }
  if (
    code === GrpcCode.INTERNAL &&
    /cannot be decoded|compressed message|bad message flag|bytes, more than|ended inside a message/.test(d)
  ) {
    return mk(
      'connection',
      `${at} sent data htlc-tail cannot read (${firstLine(d)}): is that ${words.port}? If it is, please report this`,
      undefined,
      true,
    );
  }
  if (/^(connection lost|Connection dropped|keepalive:)/.test(d)) {
    const tls = classifyTlsText(d, ctx);
    if (tls)
      return {
        ...mk('connection', tls, undefined, false),
        ...(credentialOf(d) ? { credential: credentialOf(d) } : {}),
      };
    if (/too_many_pings/.test(d)) {
      return mk(
        'connection',
        `${at} closed the connection over keepalive pings (lnd before 0.17 allows one per 5 minutes); pinging less often from now on`,
        'unreachable',
        true,
      );
    }
    return mk('connection', `the connection to ${at} was lost (${connectionReason(d)})`, 'unreachable', true);
  }
  if (code === GrpcCode.UNAVAILABLE || code === GrpcCode.INTERNAL || code === GrpcCode.CANCELLED) {
    if (lndEnded) {
      // lnd answered: the connection is fine, lnd ended the call (retried like a lost stream).
      const said = firstLine(d) || 'no message';
      return mk(
        'connection',
        `${at} ended ${ctx.call} with status ${grpcCodeName(code)} (${said}); the connection works: check lnd's log`,
        'unreachable',
        true,
      );
    }
    const tls = classifyTlsText(d, ctx);
    if (tls)
      return {
        ...mk('connection', tls, undefined, false),
        ...(credentialOf(d) ? { credential: credentialOf(d) } : {}),
      };
    return mk(
      'connection',
      `cannot reach ${at} (${connectionReason(d)}): check that lnd runs and ${words.flag} is right`,
      'unreachable',
      true,
    );
  }
  return mk('refused', `${at} refused ${ctx.call}: ${firstLine(d) || `status ${code}`}`);
}

/** A message for TLS failures found in a Node TLS error text, or undefined. */
export function classifyTlsText(d: string, ctx: ClassifyContext): string | undefined {
  if (/altnames|ERR_TLS_CERT_ALTNAME_INVALID|does not match certificate/i.test(d)) {
    return nameNotCoveredMessage(ctx);
  }
  if (CERT_NOT_VERIFIED.test(d)) {
    return `TLS: ${ctx.address} presented a certificate that ${ctx.certSource} does not verify (another node's cert, or lnd regenerated it): point --tlscertpath at this node's current tls.cert`;
  }
  if (/certificate has expired|CERT_HAS_EXPIRED/i.test(d)) {
    return `TLS: the certificate of ${ctx.address} has expired: delete tls.cert and tls.key and restart lnd to renew it, then copy the new tls.cert`;
  }
  if (/wrong version number|packet length too long|EPROTO|handshake/i.test(d)) {
    const w = ctx.words ?? GRPC_PORT;
    return `TLS handshake with ${ctx.address} failed (${connectionReason(d)}): is that ${w.port} (${w.setting}), and not ${w.other} or a plain-text service?`;
  }
  return undefined;
}

/**
 * The certificate does not list the name being verified (typically: lnd's
 * cert lacks the IP or host the user dialed). Names what was verified, what
 * the cert lists, and the two remedies: --tls-server-name with a listed name,
 * or lnd's tlsextraip/tlsextradomain (then lnd must regenerate its cert).
 */
export function nameNotCoveredMessage(ctx: ClassifyContext): string {
  const name = ctx.serverName;
  const names = (ctx.certNames ?? []).filter((n) => n !== '');
  const dns = names.filter((n) => !/^[\d.]+$|:/.test(n));
  const suggest = dns.includes('localhost') ? 'localhost' : (dns[0] ?? 'localhost');
  const what = name ? `does not list ${name}` : 'does not list the name being verified';
  const lists = names.length > 0 ? ` (it lists ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', …' : ''})` : '';
  const extra = name
    ? /^[\d.]+$|:/.test(name)
      ? `tlsextraip=${name}`
      : `tlsextradomain=${name}`
    : 'tlsextraip/tlsextradomain';
  const why = names.length > 0 ? 'a name it lists' : "lnd's own cert always lists it";
  return `TLS: the certificate of ${ctx.address} ${what}${lists}; pass --tls-server-name ${suggest} (${why}), or add ${extra} to lnd.conf and let lnd regenerate its cert`;
}

/** What a step timeout means (exit 4; --wait and reconnection retry it), naming the port `words` describes. */
export function classifyStepTimeout(s: StreamStatus, words: PortWords = GRPC_PORT): Classified {
  const port = words.port;
  let msg: string;
  switch (s.step) {
    case 'tcp':
      msg = `cannot reach lnd: ${s.details}; check ${words.flag} and firewalls, or raise --connect-timeout`;
      break;
    case 'tls':
      msg = `${s.details}: is that ${port}?`;
      break;
    case 'answer':
      msg = `${s.details}: lnd accepted the call but did not answer (lnd 0.16 and later answer at once; an older lnd sends nothing until the first HTLC event); check lnd's log, or raise --connect-timeout`;
      break;
    default:
      msg = `${s.details}: is that ${port}, and is lnd running normally? (or raise --connect-timeout)`;
  }
  return { error: new HtlcTailError('connection', msg), readiness: 'unreachable', streamLost: true };
}
