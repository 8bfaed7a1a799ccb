/**
 * lndconnect URIs: `lndconnect://HOST:PORT?cert=<base64url DER>&macaroon=<base64url>`.
 *
 * - `cert` is optional: without it the node has a CA-signed certificate and the
 *   system roots verify it. With it, it is lnd's certificate as DER (accepted
 *   leniently: base64url or standard base64, with or without padding, and a
 *   PEM text encoded the same way); it is returned as PEM.
 * - `macaroon` is the macaroon file's bytes, base64url (or standard base64,
 *   padded or not; hex is accepted too, as some tools write it).
 * - a missing port is 10009; other parameters are ignored.
 *
 * Errors are configuration errors (exit 3). They name the option or variable
 * the URI came from and what is wrong, and never repeat the URI (it carries
 * the macaroon).
 */
import { X509Certificate } from 'node:crypto';
import { configError } from '../errors.js';
import { DEFAULT_RPC_PORT, dialHost, parseHostPort } from './listen.js';
import { redacted } from './secret.js';

export interface LndConnect {
  /** Never bracketed; `0.0.0.0` etc. become `localhost`. */
  readonly host: string;
  readonly port: number;
  /** The certificate as PEM, or null when the URI has no `cert` (CA-signed node). */
  readonly certPem: Buffer | null;
  /** The macaroon's bytes (redacted when inspected), or null when the URI has none. */
  readonly macaroon: Buffer | null;
}

/** Decodes base64url or standard base64, padded or not. Undefined when not base64. */
export function decodeBase64Lenient(s: string): Buffer | undefined {
  const t = s.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(t)) return undefined;
  const body = t.replace(/=+$/, '');
  if (body.length === 0 || body.length % 4 === 1) return undefined;
  return Buffer.from(body.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

function decodeMacaroon(text: string): Buffer | undefined {
  const b = decodeBase64Lenient(text);
  if (b && b.length > 0 && b[0] === 0x02) return b;
  if (/^[0-9a-fA-F]+$/.test(text) && text.length % 2 === 0 && text.startsWith('02')) return Buffer.from(text, 'hex');
  return undefined;
}

/**
 * Parses an lndconnect URI. `source` names where it came from (`--lndconnect`
 * or `HTLC_TAIL_LNDCONNECT`) for messages.
 */
export function parseLndConnect(uri: string, source: string): LndConnect {
  const fix = `check the URI given to ${source} (regenerate it with lndconnect if in doubt)`;
  const t = uri.trim();
  const m = /^lndconnect:\/\/([^/?#]*)(\/[^?#]*)?(\?[^#]*)?(#.*)?$/i.exec(t);
  if (!m) {
    throw configError(
      `${source}: not an lndconnect URI (expected lndconnect://HOST:PORT?cert=...&macaroon=...); ${fix}`,
    );
  }
  const authority = m[1]!;
  if (authority.includes('@')) throw configError(`${source}: lndconnect URI must not hold a user name; ${fix}`);
  const hp = parseHostPort(authority, DEFAULT_RPC_PORT);
  if (!hp || hp.host === '') {
    throw configError(`${source}: lndconnect URI has no valid HOST:PORT after lndconnect://; ${fix}`);
  }

  const params = new Map<string, string>();
  for (const part of (m[3] ?? '').slice(1).split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const rawVal = eq < 0 ? '' : part.slice(eq + 1);
    let key: string;
    let val: string;
    try {
      key = decodeURIComponent(rawKey);
      val = decodeURIComponent(rawVal);
    } catch {
      throw configError(`${source}: lndconnect URI has a parameter with invalid %-encoding; ${fix}`);
    }
    if (!params.has(key)) params.set(key, val);
  }

  let certPem: Buffer | null = null;
  const cert = params.get('cert');
  if (cert !== undefined) {
    const der = decodeBase64Lenient(cert);
    if (!der || der.length === 0) {
      throw configError(`${source}: the cert parameter of the lndconnect URI is not base64url; ${fix}`);
    }
    try {
      certPem = Buffer.from(new X509Certificate(der).toString(), 'utf8');
    } catch {
      throw configError(
        `${source}: the cert parameter of the lndconnect URI is not a certificate (expected base64url of lnd's tls.cert in DER); ${fix}`,
      );
    }
  }

  let macaroon: Buffer | null = null;
  const mac = params.get('macaroon');
  if (mac !== undefined) {
    const bytes = decodeMacaroon(mac);
    if (!bytes) {
      throw configError(
        `${source}: the macaroon parameter of the lndconnect URI is not an lnd macaroon (expected base64url of the macaroon file); ${fix}`,
      );
    }
    macaroon = redacted(bytes);
  }

  return { host: dialHost(hp.host), port: hp.port, certPem, macaroon };
}
