import { describe, expect, test } from '@jest/globals';
import {
  decryptSnacl,
  isSnacl,
  parseSnacl,
  scryptOptions,
  SnaclError,
  type SnaclFailure,
} from '../../src/config/snacl.js';
import { LNCLI_SCRYPT, snaclEncrypt } from '../fixtures/make-profiles.js';
import { MACAROON } from './fixtures.js';

const FAST = { N: 1024, r: 8, p: 1 };
const PW = 'hunter2 ✓';

async function reasonOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'no error';
  } catch (e) {
    return e instanceof SnaclError ? e.reason : `other: ${String(e)}`;
  }
}

function parts(data: string): [string, Buffer, Buffer] {
  const [, k, c] = data.split(':');
  return ['snacl', Buffer.from(k!, 'base64'), Buffer.from(c!, 'base64')];
}
const join = (k: Buffer, c: Buffer) => `snacl:${k.toString('base64')}:${c.toString('base64')}`;

describe('snacl (lncli encrypted macaroons)', () => {
  test("decrypts an entry made with lncli's parameters (N=16384, r=8, p=1)", async () => {
    const data = snaclEncrypt(MACAROON, PW, LNCLI_SCRYPT);
    expect(isSnacl(data)).toBe(true);
    const box = parseSnacl(data);
    expect([box.params.N, box.params.r, box.params.p]).toEqual([16384, 8, 1]);
    expect((await decryptSnacl(data, Buffer.from(PW))).equals(MACAROON)).toBe(true);
  });

  test('a wrong password is told apart from damaged data', async () => {
    const data = snaclEncrypt(MACAROON, PW, FAST);
    expect(await reasonOf(decryptSnacl(data, Buffer.from('hunter3 ✓')))).toBe('wrong-password');
    expect(await reasonOf(decryptSnacl(data, Buffer.from('')))).toBe('wrong-password');
    const [, key, ct] = parts(data);
    for (const at of [0, 23, 24, ct.length - 1]) {
      const bad = Buffer.from(ct);
      bad[at] = bad[at]! ^ 0x01;
      expect(await reasonOf(decryptSnacl(join(key, bad), Buffer.from(PW)))).toBe('corrupt');
    }
  });

  test('each entry has its own salt and nonce', () => {
    expect(snaclEncrypt(MACAROON, PW, FAST)).not.toBe(snaclEncrypt(MACAROON, PW, FAST));
  });

  const good = snaclEncrypt(MACAROON, PW, FAST);
  const [, KEY, CT] = parts(good);
  const withParams = (N: bigint, r: bigint, p: bigint) => {
    const k = Buffer.from(KEY);
    k.writeBigUInt64LE(N, 64);
    k.writeBigUInt64LE(r, 72);
    k.writeBigUInt64LE(p, 80);
    return join(k, CT);
  };
  test.each<[string, string, SnaclFailure]>([
    ['two parts', `snacl:${KEY.toString('base64')}`, 'malformed'],
    ['four parts', `${good}:x`, 'malformed'],
    ['key not base64', `snacl:***:${CT.toString('base64')}`, 'malformed'],
    [
      'url-safe base64 (Go StdEncoding refuses it)',
      `snacl:${KEY.toString('base64url')}:${CT.toString('base64')}`,
      'malformed',
    ],
    ['key of 87 bytes', join(KEY.subarray(1), CT), 'malformed'],
    ['key of 89 bytes', join(Buffer.concat([KEY, Buffer.from([0])]), CT), 'malformed'],
    ['ciphertext shorter than nonce + tag', join(KEY, CT.subarray(0, 39)), 'malformed'],
    ['empty ciphertext', `snacl:${KEY.toString('base64')}:`, 'malformed'],
    ['N not a power of two', withParams(1000n, 8n, 1n), 'unsupported-params'],
    ['N = 1', withParams(1n, 8n, 1n), 'unsupported-params'],
    ['r = 0', withParams(1024n, 0n, 1n), 'unsupported-params'],
    ['p = 0', withParams(1024n, 8n, 0n), 'unsupported-params'],
    ['N asking for 4 GiB', withParams(1n << 22n, 8n, 1n), 'unsupported-params'],
    ['uint64 beyond 2^53', withParams(1n << 60n, 8n, 1n), 'unsupported-params'],
  ])('refused: %s', async (_name, data, reason) => {
    expect(await reasonOf(decryptSnacl(data, Buffer.from(PW)))).toBe(reason);
  });

  test('maxmem covers what the parameters need', () => {
    const o = scryptOptions({ salt: Buffer.alloc(32), digest: Buffer.alloc(32), ...LNCLI_SCRYPT });
    expect(o.maxmem).toBeGreaterThanOrEqual(128 * 16384 * 8);
  });

  test('no error message holds the password or the data', async () => {
    for (const [data, pw] of [
      [good, 'wrong'],
      [join(KEY, Buffer.alloc(60)), PW],
      [withParams(3n, 8n, 1n), PW],
    ] as const) {
      try {
        await decryptSnacl(data, Buffer.from(pw));
      } catch (e) {
        const m = (e as Error).message;
        expect(m).not.toContain(pw);
        expect(m).not.toContain(KEY.toString('base64').slice(0, 20));
        expect(m).not.toContain(CT.toString('base64').slice(0, 20));
      }
    }
  });
});
