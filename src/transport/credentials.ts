/**
 * Reads the certificate and macaroon a connection needs and builds the
 * LndTarget. A missing, unreadable or malformed file is a configuration error
 * (exit 3) that names the file and the option that sets it. Macaroon bytes are
 * never put in a message.
 */
import { X509Certificate } from 'node:crypto';
import { configError } from '../errors.js';
import { decodeMacaroonV2 } from '@htlc-tail/lnd-macaroon';
import { FileReadError, readFileCapped } from '../runtime/read-file.js';
import type { DialProxy } from './dial.js';
import type { LndTarget } from './target.js';

export type CertSpec =
  | { readonly kind: 'file'; readonly path: string; readonly option: string }
  | { readonly kind: 'pem'; readonly pem: Buffer; readonly source: string }
  | { readonly kind: 'system'; readonly missingDefaultPath?: string };

export type MacaroonSpec =
  | { readonly kind: 'file'; readonly path: string; readonly option: string }
  | { readonly kind: 'bytes'; readonly bytes: Buffer; readonly source: string }
  | { readonly kind: 'none'; readonly source: string };

export interface TargetSpec {
  readonly host: string;
  readonly port: number;
  readonly tlsServerName: string;
  readonly cert: CertSpec;
  readonly macaroon: MacaroonSpec;
  readonly connectTimeoutMs: number;
  /** Passed through to the target untouched (null or absent: direct). */
  readonly proxy?: DialProxy | null;
}

/** Reads a cert or macaroon file (a regular file of at most INPUT_FILE_CAP_BYTES). */
export function readCredentialFile(path: string, what: string, option: string): Buffer {
  try {
    return readFileCapped(path);
  } catch (e) {
    const err = e instanceof FileReadError ? e : new FileReadError('EIO', (e as Error).message);
    switch (err.code) {
      case 'ENOENT':
        throw configError(`${what} not found: ${path}; set ${option} (or --lnddir/--network) to where lnd keeps it`);
      case 'EACCES':
      case 'EPERM':
        throw configError(
          `${what} not readable: ${path} (permission denied); run as a user that can read it, or copy it and set ${option}`,
        );
      case 'EISDIR':
        throw configError(`${what} path is a directory: ${path}; set ${option} to the file`);
      case 'ENOTREG':
        throw configError(
          `${what} ${path} is ${err.reason.replace(/^not a regular file \((.*)\)$/, 'not a regular file but $1')}; set ${option} to the file lnd wrote`,
        );
      case 'EFBIG':
        throw configError(
          `${what} ${path} is ${err.reason}, more than any ${what} lnd writes; set ${option} to the file lnd wrote`,
        );
      default:
        throw configError(`${what} cannot be read: ${path} (${err.reason}); check ${option}`);
    }
  }
}

/** Checks that the bytes hold at least one PEM certificate and returns them. */
export function checkCertPem(pem: Buffer, source: string, option: string): Buffer {
  const text = pem.toString('utf8');
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    throw configError(`TLS cert ${source} is not a PEM certificate; set ${option} to lnd's tls.cert`);
  }
  try {
    new X509Certificate(pem);
  } catch {
    throw configError(
      `TLS cert ${source} is malformed (cannot parse the certificate); set ${option} to lnd's tls.cert`,
    );
  }
  return pem;
}

/**
 * A macaroon file holds the binary macaroon (first byte 0x02, as lnd writes
 * it). A file holding its hex text is accepted too, as some tools write that.
 * Its v2 structure is checked (packets, identifier, a 32-byte signature), so a
 * truncated or damaged file is a configuration error naming it, not lnd's
 * unmarshal error later. Nothing of the macaroon is put in a message.
 */
export function checkMacaroon(bytes: Buffer, source: string, option: string): Buffer {
  let mac: Buffer;
  const text = bytes.length > 0 && bytes[0] === 0x02 ? '' : bytes.toString('latin1').trim();
  if (bytes.length > 0 && bytes[0] === 0x02) mac = bytes;
  else if (text.length > 0 && text.length % 2 === 0 && /^[0-9a-fA-F]+$/.test(text) && text.startsWith('02'))
    mac = Buffer.from(text, 'hex');
  else
    throw configError(
      `macaroon ${source} is not an lnd macaroon (empty or unknown format); set ${option} to readonly.macaroon`,
    );
  try {
    decodeMacaroonV2(mac);
  } catch (e) {
    const why = (e as Error).message.replace(/^unmarshal v2: /, '');
    throw configError(
      `macaroon ${source} is damaged (${why}): truncated or altered? copy readonly.macaroon again and set ${option} to it`,
    );
  }
  return mac;
}

export function buildTarget(spec: TargetSpec): LndTarget {
  let certPem: Buffer | null;
  let certSource: string;
  switch (spec.cert.kind) {
    case 'file':
      certPem = checkCertPem(
        readCredentialFile(spec.cert.path, 'TLS cert', spec.cert.option),
        spec.cert.path,
        spec.cert.option,
      );
      certSource = spec.cert.path;
      break;
    case 'pem':
      certPem = checkCertPem(spec.cert.pem, spec.cert.source, '--lndconnect');
      certSource = spec.cert.source;
      break;
    case 'system':
      certPem = null;
      certSource = 'the system CA roots';
      break;
  }
  let macaroon: Buffer | null;
  let macaroonSource: string;
  switch (spec.macaroon.kind) {
    case 'file':
      macaroon = checkMacaroon(
        readCredentialFile(spec.macaroon.path, 'macaroon', spec.macaroon.option),
        spec.macaroon.path,
        spec.macaroon.option,
      );
      macaroonSource = spec.macaroon.path;
      break;
    case 'bytes':
      macaroon = checkMacaroon(spec.macaroon.bytes, spec.macaroon.source, '--lndconnect');
      macaroonSource = spec.macaroon.source;
      break;
    case 'none':
      macaroon = null;
      macaroonSource = `no macaroon (${spec.macaroon.source})`;
      break;
  }
  return {
    host: spec.host,
    port: spec.port,
    tlsServerName: spec.tlsServerName,
    certPem,
    certSource,
    certMissingPath: spec.cert.kind === 'system' ? spec.cert.missingDefaultPath : undefined,
    macaroon,
    macaroonSource,
    connectTimeoutMs: spec.connectTimeoutMs,
    proxy: spec.proxy ?? null,
  };
}
