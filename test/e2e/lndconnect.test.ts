/**
 * --lndconnect (and HTLC_TAIL_LNDCONNECT) against the simulated node: host,
 * port, cert and macaroon from the URI; without a cert the system roots verify
 * (here the sim's cert is made a "system" root with NODE_EXTRA_CA_CERTS, as a
 * CA-signed node's would be); malformed URIs exit 3 without echoing secrets.
 */
import { describe, test, expect, beforeAll, afterAll } from '@jest/globals';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSimNode, type SimNodeHandle } from '@htlc-tail/lnd-sim';
import { jsonLines, runCli } from './run-cli.js';

const b64url = (b: Buffer) => b.toString('base64url');

let node: SimNodeHandle;
let tmp: string;
beforeAll(async () => {
  node = await startSimNode({ scenario: { steps: [{ generate: 3 }], then: 'hold' }, seed: 11 });
  tmp = mkdtempSync(path.join(os.tmpdir(), 'htlc-tail-lndconnect-'));
});
afterAll(async () => {
  await node.stop();
  rmSync(tmp, { recursive: true, force: true });
});

function uri(opts: { cert?: boolean; macaroon?: Buffer } = {}): string {
  const der = new X509Certificate(node.certPem).raw;
  const params = new URLSearchParams();
  if (opts.cert !== false) params.set('cert', b64url(der));
  params.set('macaroon', b64url(opts.macaroon ?? node.macaroons.readonly));
  return `lndconnect://127.0.0.1:${node.port}?${params.toString()}`;
}

const HOME = { HOME: '/nonexistent-home' };

describe('lndconnect', () => {
  test('--lndconnect: connects with the URI alone', async () => {
    const r = await runCli(['--lndconnect', uri(), '-f', 'jsonl', '--count', '3', '--no-aliases'], { env: HOME });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout)).toHaveLength(3);
  });

  test('HTLC_TAIL_LNDCONNECT works the same', async () => {
    const r = await runCli(['-f', 'jsonl', '--count', '3'], { env: { ...HOME, HTLC_TAIL_LNDCONNECT: uri() } });
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout)).toHaveLength(3);
  });

  test('a flag wins over the URI: --macaroonpath replaces its macaroon', async () => {
    const inv = path.join(tmp, 'invoice.macaroon');
    writeFileSync(inv, node.macaroons.invoice);
    const r = await runCli(['--lndconnect', uri(), '--macaroonpath', inv, '-f', 'jsonl', '--count', '1'], {
      env: HOME,
    });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/offchain:read/);
  });

  test('no cert in the URI: the system roots verify a CA-signed node', async () => {
    const ca = path.join(tmp, 'ca.pem');
    writeFileSync(ca, node.certPem);
    const ok = await runCli(['--lndconnect', uri({ cert: false }), '-f', 'jsonl', '--count', '3'], {
      env: { ...HOME, NODE_EXTRA_CA_CERTS: ca },
    });
    expect(ok.code).toBe(0);
    expect(jsonLines(ok.stdout)).toHaveLength(3);
    // Without that root, the self-signed cert is not trusted: a TLS failure, exit 4.
    const bad = await runCli(['--lndconnect', uri({ cert: false }), '-f', 'jsonl', '--count', '3'], { env: HOME });
    expect(bad.code).toBe(4);
    expect(bad.stderr).toMatch(/TLS/);
  });

  const hex = () => node.macaroons.readonly.toString('hex');
  test.each([
    ['not a URI', 'https://example.com:10009'],
    ['bad port', 'lndconnect://127.0.0.1:99999?macaroon=AgE'],
    ['bad cert', 'lndconnect://127.0.0.1:10009?cert=%%%&macaroon=AgE'],
    ['no macaroon', 'lndconnect://127.0.0.1:10009'],
  ])('malformed (%s): exit 3, one line, no secret', async (_name, u) => {
    const r = await runCli(['--lndconnect', u], { env: HOME });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--lndconnect/);
    expect(r.stderr).not.toContain(hex());
  });
});
