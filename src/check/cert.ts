/**
 * The certificate step's pure part: what a PEM certificate is (key type,
 * validity, the names and IPs it covers) and whether the name htlc-tail
 * verifies (the --tls-server-name, else the host dialed) is among them,
 * checked exactly as the TLS handshake checks it (tls.checkServerIdentity).
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import { configError, ExitCode } from '../errors.js';
import { fail, ok, warn, type StepOutcome } from './types.js';

const DAY_MS = 86_400_000;
/** A certificate expiring sooner than this gets a warning. */
export const CERT_WARN_DAYS = 30;

export interface CertSummary {
  /** e.g. `EC P-256`, `RSA 2048`, `Ed25519`. */
  readonly keyType: string;
  readonly selfSigned: boolean;
  /** The issuer's CN (or whole name) when not self-signed. */
  readonly issuer: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly dnsNames: readonly string[];
  /** IP SANs, in their short form (`::1`, not `0:0:0:0:0:0:0:1`). */
  readonly ips: readonly string[];
}

const CURVES: Readonly<Record<string, string>> = {
  prime256v1: 'P-256',
  'P-256': 'P-256',
  secp384r1: 'P-384',
  'P-384': 'P-384',
  secp521r1: 'P-521',
  'P-521': 'P-521',
};

/** A public key's type in an operator's words: `EC P-256`, `RSA 4096`, `Ed25519`. */
export function keyTypeOf(key: KeyObject): string {
  const type = key.asymmetricKeyType ?? 'unknown';
  const d = key.asymmetricKeyDetails ?? {};
  switch (type) {
    case 'ec':
      return `EC ${d.namedCurve ? (CURVES[d.namedCurve] ?? d.namedCurve) : 'unknown curve'}`;
    case 'rsa':
    case 'rsa-pss':
      return `${type.toUpperCase()} ${d.modulusLength ?? '?'}`;
    case 'ed25519':
      return 'Ed25519';
    case 'ed448':
      return 'Ed448';
    default:
      return type;
  }
}

/** An IP address in its canonical short form (IPv6 lowercase and compressed). */
export function shortIp(ip: string): string {
  if (net.isIP(ip) !== 6) return ip;
  try {
    return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  } catch {
    return ip.toLowerCase();
  }
}

/** Splits Node's `subjectAltName` text (`DNS:a, IP Address:1.2.3.4`, values JSON-quoted when they hold a comma). */
export function parseSubjectAltName(san: string | undefined): { dnsNames: string[]; ips: string[] } {
  const dnsNames: string[] = [];
  const ips: string[] = [];
  if (!san) return { dnsNames, ips };
  const re = /(DNS|IP Address|email|URI|DirName|Registered ID|othername):("(?:[^"\\]|\\.)*"|[^,]*)(?:, |$)/g;
  for (const m of san.matchAll(re)) {
    let value = m[2]!;
    if (value.startsWith('"')) {
      try {
        value = JSON.parse(value) as string;
      } catch {
        /* keep as is */
      }
    }
    if (m[1] === 'DNS') dnsNames.push(value);
    else if (m[1] === 'IP Address') ips.push(shortIp(value));
  }
  return { dnsNames, ips };
}

function issuerName(x: X509Certificate): string {
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(x.issuer);
  return cn ? cn[1]! : x.issuer.replace(/\n/g, ', ');
}

/** Parses a PEM certificate (throws a configError naming `source` and `option` when it cannot). */
export function parseCertPem(pem: Buffer | string, source: string, option: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw configError(
      `TLS cert ${source} is malformed (cannot parse the certificate); set ${option} to lnd's tls.cert`,
    );
  }
}

export function summarizeCert(x: X509Certificate): CertSummary {
  const { dnsNames, ips } = parseSubjectAltName(x.subjectAltName);
  let selfSigned = false;
  try {
    selfSigned = x.checkIssued(x) && x.verify(x.publicKey);
  } catch {
    selfSigned = false;
  }
  return {
    keyType: keyTypeOf(x.publicKey),
    selfSigned,
    issuer: issuerName(x),
    notBefore: new Date(x.validFrom),
    notAfter: new Date(x.validTo),
    dnsNames,
    ips,
  };
}

/** Whether the certificate covers `name` as the handshake checks it. */
export function certCovers(x: X509Certificate, name: string): boolean {
  return tls.checkServerIdentity(name, x.toLegacyObject()) === undefined;
}

function day(d: Date): string {
  return Number.isNaN(d.getTime()) ? 'an unreadable date' : d.toISOString().slice(0, 10);
}

function timeLeft(ms: number): string {
  if (ms >= 2 * DAY_MS) return `${Math.floor(ms / DAY_MS)} days`;
  const h = Math.max(0, Math.floor(ms / 3_600_000));
  return h === 1 ? '1 hour' : `${h} hours`;
}

const RENEW = 'delete tls.cert and tls.key and restart lnd to renew it, then copy the new tls.cert here';

export interface CertTarget {
  /** Where the cert came from: a path, or `--lndconnect URI`. */
  readonly source: string;
  /** The name verified: --tls-server-name, else the host dialed. */
  readonly name: string;
  /** `--tls-server-name` when the name was given, else `host`. */
  readonly nameSource: '--tls-server-name' | 'host';
  readonly now: Date;
}

/**
 * The step's outcome for a pinned certificate: fail (exit 4) when expired, not
 * yet valid, or not covering the verified name; warn when it expires within
 * CERT_WARN_DAYS.
 */
export function certOutcome(x: X509Certificate, t: CertTarget): StepOutcome {
  const s = summarizeCert(x);
  const names = s.dnsNames.length > 0 ? `names ${s.dnsNames.join(', ')}` : 'no DNS names';
  const ips = s.ips.length > 0 ? `IPs ${s.ips.join(', ')}` : 'no IPs';
  const kind = `${s.keyType}, ${s.selfSigned ? 'self-signed' : `issued by ${s.issuer}`}`;
  const left = s.notAfter.getTime() - t.now.getTime();
  const validity = left > 0 ? `valid until ${day(s.notAfter)} (${timeLeft(left)})` : `expired ${day(s.notAfter)}`;
  const covers = certCovers(x, t.name);
  const base = `${t.source}: ${kind}, ${validity}; ${names}; ${ips}`;

  if (!(left > 0)) {
    return fail(ExitCode.CONNECTION, `${base}; the certificate has expired`, RENEW);
  }
  if (s.notBefore.getTime() > t.now.getTime()) {
    return fail(
      ExitCode.CONNECTION,
      `${base}; not valid before ${s.notBefore.toISOString()}`,
      "check this machine's clock, or wait until then",
    );
  }
  if (!covers) {
    const isIp = net.isIP(t.name) !== 0;
    const suggestion = s.dnsNames.includes('localhost') ? 'localhost' : (s.dnsNames[0] ?? s.ips[0]);
    const pass = suggestion
      ? `pass --tls-server-name ${suggestion} (a name it lists)`
      : 'pass --tls-server-name with a name it lists';
    const extra = isIp ? `tlsextraip=${t.name}` : `tlsextradomain=${t.name}`;
    const what = t.nameSource === '--tls-server-name' ? `--tls-server-name ${t.name}` : `the host ${t.name}`;
    return fail(
      ExitCode.CONNECTION,
      `${base}; it does not cover ${what}`,
      `${pass}, or add ${extra} to lnd.conf, delete tls.cert and tls.key, restart lnd and copy the new tls.cert here`,
    );
  }
  const detail = `${base}; covers ${t.name}`;
  if (left < CERT_WARN_DAYS * DAY_MS) {
    return warn(`${detail}; expires in ${timeLeft(left)}`, `renew it before then: ${RENEW}`);
  }
  return ok(detail);
}
