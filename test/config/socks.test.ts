import { describe, expect, test } from '@jest/globals';
import { isOnionHost, parseSocks5, proxyForHost, socksFromOptions, TOR_DEFAULT_PROXY } from '../../src/config/socks.js';
import { HtlcTailError } from '../../src/errors.js';

const V3 = 'pg6mmjiyjmcrsslvykfwnntlaru7p5svn6y2ymmju6nubxndf4pscryd';

describe('parseSocks5', () => {
  test.each([
    ['127.0.0.1:9050', '127.0.0.1', 9050],
    [' localhost:9150 ', 'localhost', 9150],
    ['tor:9050', 'tor', 9050],
    ['[::1]:9050', '::1', 9050],
    [':9050', '127.0.0.1', 9050],
    ['9050', '127.0.0.1', 9050],
    ['socks5://127.0.0.1:9050', '127.0.0.1', 9050],
    ['socks5h://127.0.0.1:9050/', '127.0.0.1', 9050],
    ['SOCKS5H://proxy.lan:1080', 'proxy.lan', 1080],
  ])('%j → %s:%d', (value, host, port) => {
    expect(parseSocks5(value, '--socks5')).toEqual({ host, port, source: '--socks5' });
  });

  test.each([
    ['', /--socks5 needs a value/],
    ['127.0.0.1', /has no port/],
    ['127.0.0.1:', /has no port/],
    ['127.0.0.1:99999', /is not HOST:PORT/],
    ['127.0.0.1:port', /is not HOST:PORT/],
    ['http://127.0.0.1:3128', /only SOCKS5 proxies are supported \(not http:\/\/\)/],
    ['socks4://127.0.0.1:9050', /not socks4:\/\//],
    ['user:s3cr3t@127.0.0.1:9050', /user names and passwords are not supported/],
    ['socks5://u:s3cr3t@127.0.0.1:9050', /user names and passwords are not supported/],
    ['a b:9050', /is not HOST:PORT/],
  ])('%j → usage error', (value, re) => {
    let err: unknown;
    try {
      parseSocks5(value, '--socks5');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HtlcTailError);
    expect((err as HtlcTailError).kind).toBe('usage');
    expect((err as HtlcTailError).message).toMatch(re);
    expect((err as HtlcTailError).message).not.toContain('s3cr3t');
  });

  test('flag, then HTLC_TAIL_SOCKS5 (empty = unset), else none', () => {
    expect(socksFromOptions('1.2.3.4:1', { HTLC_TAIL_SOCKS5: '5.6.7.8:2' }, 'linux')).toMatchObject({
      host: '1.2.3.4',
      source: '--socks5',
    });
    expect(socksFromOptions(undefined, { HTLC_TAIL_SOCKS5: '5.6.7.8:2' }, 'linux')).toMatchObject({
      host: '5.6.7.8',
      source: 'HTLC_TAIL_SOCKS5',
    });
    expect(socksFromOptions(undefined, { HTLC_TAIL_SOCKS5: '' }, 'linux')).toBeNull();
    expect(socksFromOptions(undefined, {}, 'linux')).toBeNull();
    expect(() => socksFromOptions(undefined, { HTLC_TAIL_SOCKS5: 'nope' }, 'linux')).toThrow(
      /HTLC_TAIL_SOCKS5 "nope" has no port/,
    );
  });
});

describe('onion targets', () => {
  test.each([
    [`${V3}.onion`, true],
    [`${V3.toUpperCase()}.ONION`, true],
    [`${V3}.onion.`, true],
    ['abcdefghijklmnop.onion', true],
    ['onion.example.com', false],
    ['example.onion.com', false],
    ['127.0.0.1', false],
  ])('%s → %s', (host, want) => {
    expect(isOnionHost(host)).toBe(want);
  });

  test('the proxy for a target: the named one, else Tor for an onion, else direct', () => {
    const named = { host: 'p', port: 1, source: '--socks5' };
    expect(proxyForHost(`${V3}.onion`, null)).toBe(TOR_DEFAULT_PROXY);
    expect(proxyForHost(`${V3}.onion`, named)).toBe(named);
    expect(proxyForHost('node.example', named)).toBe(named);
    expect(proxyForHost('node.example', null)).toBeNull();
  });
});
