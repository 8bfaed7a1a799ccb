/**
 * TargetSource: the cert and macaroon files read again per attempt; bytes
 * given directly stay; a file that cannot be read now keeps the last good
 * bytes (said once); changeNote says whether a file changed since the start.
 * And checkMacaroon's structure check (a truncated file is a config error).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { checkMacaroon, type TargetSpec } from '../../src/transport/credentials.js';
import { TargetSource } from '../../src/transport/target-source.js';
import { generateLndCert } from '@htlc-tail/lnd-sim';
import { mintMacaroon, DEFAULT_MACAROON_PERMISSIONS } from '../../src/macaroon/index.js';

let dir: string;
const certA = generateLndCert({ host: 'a' }).certPem;
const certB = generateLndCert({ host: 'b' }).certPem;
const macA = mintMacaroon({ rootKey: randomBytes(32), permissions: DEFAULT_MACAROON_PERMISSIONS.readonly });
const macB = mintMacaroon({ rootKey: randomBytes(32), permissions: DEFAULT_MACAROON_PERMISSIONS.readonly });

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'htlc-tail-target-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fileSpec(name: string): { spec: TargetSpec; cert: string; mac: string } {
  const cert = path.join(dir, `${name}.cert`);
  const mac = path.join(dir, `${name}.macaroon`);
  writeFileSync(cert, certA);
  writeFileSync(mac, macA);
  return {
    cert,
    mac,
    spec: {
      host: '127.0.0.1',
      port: 10009,
      tlsServerName: '127.0.0.1',
      cert: { kind: 'file', path: cert, option: '--tlscertpath' },
      macaroon: { kind: 'file', path: mac, option: '--macaroonpath' },
      connectTimeoutMs: 10_000,
    },
  };
}

describe('TargetSource', () => {
  test('unchanged files: the same target object; changed files: a new one with the new bytes', () => {
    const { spec, cert, mac } = fileSpec('change');
    const src = new TargetSource(spec);
    const first = src.current;
    expect(src.reload()).toEqual({ target: first, problems: [] });
    expect(src.reload().target).toBe(first);
    expect(src.changeNote('cert')).toBe(
      `; ${cert} is unchanged since htlc-tail started, so lnd now uses another one: copy lnd's current file there`,
    );
    writeFileSync(cert, certB);
    writeFileSync(mac, macB);
    const next = src.reload().target;
    expect(next).not.toBe(first);
    expect(next.certPem!.toString()).toBe(certB);
    expect(next.macaroon!.equals(macB)).toBe(true);
    expect(src.changeNote('macaroon')).toBe(
      `; ${mac} changed since htlc-tail started, and the new one is not accepted either`,
    );
  });

  test('a file that cannot be read now keeps the last good bytes, said once; then read again when it is back', () => {
    const { spec, cert } = fileSpec('gone');
    const src = new TargetSource(spec);
    const first = src.current;
    unlinkSync(cert);
    const r1 = src.reload();
    expect(r1.target).toBe(first);
    expect(r1.problems).toEqual([`TLS cert not found: ${cert}; using the copy read earlier`]);
    expect(src.reload().problems).toEqual([]);
    expect(src.changeNote('cert')).toMatch(/cannot be read now .* and the copy read earlier is not accepted/);
    writeFileSync(cert, 'half a PEM');
    expect(src.reload().problems).toEqual([`TLS cert ${cert} is not a PEM certificate; using the copy read earlier`]);
    writeFileSync(cert, certB);
    expect(src.reload()).toEqual({ target: expect.objectContaining({ certPem: Buffer.from(certB) }), problems: [] });
  });

  test('bytes given directly (lndconnect, a profile) are never re-read', () => {
    const src = TargetSource.fixed({
      host: 'h',
      port: 1,
      tlsServerName: 'h',
      certPem: Buffer.from(certA),
      certSource: '--lndconnect URI',
      macaroon: macA,
      macaroonSource: '--lndconnect URI',
      connectTimeoutMs: 1000,
    });
    const first = src.current;
    expect(src.reload()).toEqual({ target: first, problems: [] });
    expect(src.changeNote('cert')).toBe('; the certificate was given directly (not a file) and is used as given');
  });
});

describe('checkMacaroon', () => {
  test('a whole macaroon (binary or hex text) passes; a truncated or damaged one is a config error naming the file', () => {
    expect(checkMacaroon(macA, 'm', '--macaroonpath').equals(macA)).toBe(true);
    expect(checkMacaroon(Buffer.from(macA.toString('hex')), 'm', '--macaroonpath').equals(macA)).toBe(true);
    for (const cut of [macA.length - 1, macA.length - 33, 10, 3]) {
      expect(() => checkMacaroon(macA.subarray(0, cut), '/x/readonly.macaroon', '--macaroonpath')).toThrow(
        /^macaroon \/x\/readonly\.macaroon is damaged \(.+\): truncated or altered\? copy readonly\.macaroon again and set --macaroonpath to it$/,
      );
    }
    const hexCut = Buffer.from(macA.toString('hex').slice(0, -10));
    expect(() => checkMacaroon(hexCut, 'm', '--macaroonpath')).toThrow(/is damaged/);
    try {
      checkMacaroon(macA.subarray(0, macA.length - 5), 'm', '--macaroonpath');
    } catch (e) {
      expect((e as Error).message).not.toContain(macA.toString('hex').slice(0, 16));
      expect((e as { kind?: string }).kind).toBe('config');
    }
  });
});
