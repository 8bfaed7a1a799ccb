/**
 * lndconnect URIs with Tor onion hosts, as Umbrel, Start9 and RaspiBlitz hand
 * them out (gRPC 10009 or REST 8080, with or without `cert`): parsed as is,
 * the certificate verified for the onion name unless --tls-server-name says
 * otherwise, and the connection routed through Tor's SOCKS5 proxy.
 */
import { describe, expect, test } from '@jest/globals';
import { parseLndConnect } from '../../src/config/lndconnect.js';
import { resolveNodes } from '../../src/config/nodes.js';
import { b64url, CERT_DER, fakeIO, MACAROON } from './fixtures.js';

const ONION = 'pg6mmjiyjmcrsslvykfwnntlaru7p5svn6y2ymmju6nubxndf4pscryd.onion';
const MAC = b64url(MACAROON);
const CERT = b64url(CERT_DER);
const never = async (): Promise<Buffer> => {
  throw new Error('no password needed');
};

describe('onion lndconnect URIs', () => {
  test.each([
    ['Umbrel gRPC, with cert', `lndconnect://${ONION}:10009?cert=${CERT}&macaroon=${MAC}`, 10009, true],
    ['Umbrel REST, with cert', `lndconnect://${ONION}:8080?cert=${CERT}&macaroon=${MAC}`, 8080, true],
    ['Start9 style, no cert', `lndconnect://${ONION}:10009?macaroon=${MAC}`, 10009, false],
    ['no port', `lndconnect://${ONION}?macaroon=${MAC}&cert=${CERT}`, 10009, true],
    ['upper case host', `lndconnect://${ONION.toUpperCase()}:10009?macaroon=${MAC}`, 10009, false],
  ])('%s', (_n, uri, port, cert) => {
    const lc = parseLndConnect(uri, '--lndconnect');
    expect(lc.host.toLowerCase()).toBe(ONION);
    expect(lc.port).toBe(port);
    expect(lc.certPem !== null).toBe(cert);
    expect(lc.macaroon?.equals(MACAROON)).toBe(true);
  });

  test('resolved: onion address, the cert checked for the onion name, Tor proxy with one notice', async () => {
    const r = await resolveNodes(
      { lndconnect: `lndconnect://${ONION}:10009?cert=${CERT}&macaroon=${MAC}` },
      {},
      fakeIO(),
      { password: never },
    );
    const n = r.nodes[0]!;
    expect(n.config.connection.rpcServer).toMatchObject({ host: ONION, port: 10009, source: '--lndconnect' });
    expect(n.config.connection.tlsServerName).toBe(ONION);
    expect(n.proxy).toMatchObject({ host: '127.0.0.1', port: 9050 });
    expect(r.notices).toEqual([expect.stringContaining(`${ONION}:10009 is a Tor onion address`)]);
  });

  test('--tls-server-name names a name the cert holds (lnd lacks the onion name without tlsextradomain)', async () => {
    const r = await resolveNodes(
      {
        lndconnect: `lndconnect://${ONION}:10009?cert=${CERT}&macaroon=${MAC}`,
        tlsServerName: 'localhost',
        socks5: '127.0.0.1:9150',
      },
      {},
      fakeIO(),
      { password: never },
    );
    const c = r.nodes[0]!.config.connection;
    expect([c.tlsServerName, c.tlsServerNameSource]).toEqual(['localhost', '--tls-server-name']);
    expect(r.nodes[0]!.proxy).toEqual({ host: '127.0.0.1', port: 9150, source: '--socks5' });
    expect(r.notices).toEqual([]);
  });

  test('--transport rest with a REST onion URI: REST goes to the onion address too', async () => {
    const r = await resolveNodes(
      { lndconnect: `lndconnect://${ONION}:8080?macaroon=${MAC}`, transport: 'rest' },
      {},
      fakeIO(),
      { password: never },
    );
    expect(r.nodes[0]!.config.connection.restServer).toMatchObject({ host: ONION, port: 8080 });
    expect(r.nodes[0]!.proxy?.port).toBe(9050);
  });
});
