/** Fixtures for config tests: a self-signed P-256 certificate shaped like lnd's, and a fake macaroon. */
import { X509Certificate } from 'node:crypto';
import type { ResolveIO } from '../../src/config/io.js';

export const CERT_PEM = `-----BEGIN CERTIFICATE-----
MIICETCCAbigAwIBAgIUI9vAT05EOVNxViYQF26VWd+MFWIwCgYIKoZIzj0EAwIw
NDEfMB0GA1UECgwWbG5kIGF1dG9nZW5lcmF0ZWQgY2VydDERMA8GA1UEAwwIdGVz
dG5vZGUwHhcNMjYxMTI1MTIwNzQwWhcNMzYxMTIyMTIwNzQwWjA0MR8wHQYDVQQK
DBZsbmQgYXV0b2dlbmVyYXRlZCBjZXJ0MREwDwYDVQQDDAh0ZXN0bm9kZTBZMBMG
ByqGSM49AgEGCCqGSM49AwEHA0IABJSiC16V427zEq5GxVRiQpGc2YZ/YWfT84T2
ZhtXCvhTAVX1Pe1eePrp/X+XfHvd/TTqGMFW8UlYzu4uK1XpAeajgacwgaQwHQYD
VR0OBBYEFBqHh23mvyM1KuAQp3u3e8P7BSrVMB8GA1UdIwQYMBaAFBqHh23mvyM1
KuAQp3u3e8P7BSrVMA8GA1UdEwEB/wQFMAMBAf8wUQYDVR0RBEowSIIJbG9jYWxo
b3N0ggh0ZXN0bm9kZYIEdW5peIIKdW5peHBhY2tldIIHYnVmY29ubocEfwAAAYcQ
AAAAAAAAAAAAAAAAAAAAATAKBggqhkjOPQQDAgNHADBEAiBm51YzvRX8PRzou/Ut
UYv1Z82GgH/2q28A1spq+MCXrQIgQiyTC/rrUMjyO7pI4OsipeGGEarxXiV37FD0
muY+xCc=
-----END CERTIFICATE-----
`;

export const CERT_DER: Buffer = new X509Certificate(CERT_PEM).raw;

/** A macaroon-shaped byte string (v2 binary starts with 0x02); contents are made up. */
export const MACAROON = Buffer.from(
  '0201036c6e6402f801030a10aabbccddeeff00112233445566778899aa1201301a160a0761646472657373120472656164120577726974651a130a04696e666f120472656164120577726974650000062052a35c3ac8e5d0f0f1b8f4c3f3a2cbd6c1b7d1b2a3c4d5e6f708192a3b4c5d6e7f',
  'hex',
);

export const b64url = (b: Buffer): string => b.toString('base64url');

/** An in-memory filesystem and terminal for resolveConfig. */
export function fakeIO(files: Record<string, string> = {}, over: Partial<ResolveIO> = {}): ResolveIO {
  return {
    readFile: (p: string) => {
      const v = files[p];
      if (v === undefined) {
        const e = new Error(`ENOENT: ${p}`) as NodeJS.ErrnoException;
        e.code = 'ENOENT';
        throw e;
      }
      return v;
    },
    exists: (p: string) => p in files,
    platform: 'linux',
    homedir: '/home/u',
    stdoutIsTTY: false,
    stderrIsTTY: false,
    ...over,
  };
}
