/**
 * Reads the certificate and macaroon a connection needs and builds the
 * LndTarget. A missing, unreadable or malformed file is a configuration error
 * (exit 3) that names the file and the option that sets it. Macaroon bytes are
 * never put in a message.
 */
import fs from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { configError } from '../errors.js';
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
}

function readFileOr(path: string, what: string, option: string): Buffer {
  try {
    return fs.readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw configError(`${what} not found: ${path}; set ${option} (or --lnddir/--network) to where lnd keeps it`);
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw configError(`${what} not readable: ${path} (permission denied); run as a user that can read it, or copy it and set ${option}`);
    }
    if (code === 'EISDIR') throw configError(`${what} path is a directory: ${path}; set ${option} to the file`);
    throw configError(`${what} cannot be read: ${path} (${code ?? (e as Error).message}); check ${option}`);
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
    throw configError(`TLS cert ${source} is malformed (cannot parse the certificate); set ${option} to lnd's tls.cert`);
  }
  return pem;
}

/**
 * A macaroon file holds the binary macaroon (first byte 0x02, as lnd writes
 * it). A file holding its hex text is accepted too, as some tools write that.
 */
export function checkMacaroon(bytes: Buffer, source: string, option: string): Buffer {
  if (bytes.length > 0 && bytes[0] === 0x02) return bytes;
  const text = bytes.toString('latin1').trim();
  if (text.length > 0 && text.length % 2 === 0 && /^[0-9a-fA-F]+$/.test(text) && text.startsWith('02')) {
    return Buffer.from(text, 'hex');
  }
  throw configError(`macaroon ${source} is not an lnd macaroon (empty or unknown format); set ${option} to readonly.macaroon`);
}

export function buildTarget(spec: TargetSpec): LndTarget {
  let certPem: Buffer | null;
  let certSource: string;
  switch (spec.cert.kind) {
    case 'file':
      certPem = checkCertPem(readFileOr(spec.cert.path, 'TLS cert', spec.cert.option), spec.cert.path, spec.cert.option);
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
      macaroon = checkMacaroon(readFileOr(spec.macaroon.path, 'macaroon', spec.macaroon.option), spec.macaroon.path, spec.macaroon.option);
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
  };
}
