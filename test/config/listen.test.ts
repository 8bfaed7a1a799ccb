import { describe, expect, test } from '@jest/globals';
import { firstDialTarget, formatHostPort, parseHostPort, parseListenAddress } from '../../src/config/listen.js';
import { HtlcTailError } from '../../src/errors.js';

describe('parseHostPort', () => {
  test.each([
    ['localhost:10009', { host: 'localhost', port: 10009 }],
    ['mynode', { host: 'mynode', port: 10009 }],
    ['mynode:', { host: 'mynode', port: 10009 }],
    ['10.0.0.5:10010', { host: '10.0.0.5', port: 10010 }],
    ['[::1]:10009', { host: '::1', port: 10009 }],
    ['[fe80::1%eth0]:1', { host: 'fe80::1%eth0', port: 1 }],
    ['[::1]', { host: '::1', port: 10009 }],
    ['::1', { host: '::1', port: 10009 }],
    ['2001:db8::7', { host: '2001:db8::7', port: 10009 }],
    [':10010', { host: '', port: 10010 }],
    ['10010', { host: '', port: 10010 }],
    ['abcdefghijklmnop.onion:10009', { host: 'abcdefghijklmnop.onion', port: 10009 }],
    ['  spaced:1  ', { host: 'spaced', port: 1 }],
  ])('%s', (text, hp) => {
    expect(parseHostPort(text, 10009)).toEqual(hp);
  });
  test.each([
    [''],
    ['host:0'],
    ['host:65536'],
    ['host:abc'],
    ['https://host:10009'],
    ['user@host:1'],
    ['[::1'],
    ['[::1]x'],
    ['[notip]:1'],
    ['a:b:c'],
    ['my host:1'],
  ])('rejects %j', (text) => {
    expect(parseHostPort(text, 10009)).toBeUndefined();
  });
  test('formatHostPort brackets IPv6', () => {
    expect(formatHostPort({ host: '::1', port: 1 })).toBe('[::1]:1');
    expect(formatHostPort({ host: 'a', port: 1 })).toBe('a:1');
  });
});

describe('parseListenAddress (rpclisten → dial target)', () => {
  test.each([
    ['localhost:10009', { kind: 'tcp', host: 'localhost', port: 10009 }],
    ['0.0.0.0:10009', { kind: 'tcp', host: 'localhost', port: 10009 }],
    ['0.0.0.0', { kind: 'tcp', host: 'localhost', port: 10009 }],
    ['[::]:10010', { kind: 'tcp', host: 'localhost', port: 10010 }],
    ['[0:0:0:0:0:0:0:0]:10010', { kind: 'tcp', host: 'localhost', port: 10010 }],
    [':10011', { kind: 'tcp', host: 'localhost', port: 10011 }],
    ['10012', { kind: 'tcp', host: 'localhost', port: 10012 }],
    ['', { kind: 'tcp', host: 'localhost', port: 10009 }],
    ['192.168.1.10', { kind: 'tcp', host: '192.168.1.10', port: 10009 }],
    ['[::1]:10009', { kind: 'tcp', host: '::1', port: 10009 }],
    ['::1', { kind: 'tcp', host: '::1', port: 10009 }],
    ['tcp://0.0.0.0:10013', { kind: 'tcp', host: 'localhost', port: 10013 }],
    ['tcp4:127.0.0.1:10014', { kind: 'tcp', host: '127.0.0.1', port: 10014 }],
    ['unix:///var/run/lnd/rpc.sock', { kind: 'unix', path: '/var/run/lnd/rpc.sock' }],
    ['unixpacket://rpc.sock', { kind: 'unix', path: 'rpc.sock' }],
    ['unix:/tmp/lnd.sock', { kind: 'unix', path: '/tmp/lnd.sock' }],
    ['udp://0.0.0.0:1', { kind: 'unsupported', network: 'udp' }],
  ])('%j', (value, addr) => {
    expect(parseListenAddress(value, 10009)).toEqual(addr);
  });
  test.each([['http://x:1'], ['host:99999'], ['unix://']])('malformed %j', (v) => {
    expect(parseListenAddress(v, 10009)).toBeUndefined();
  });
});

describe('firstDialTarget', () => {
  const F = '/l/lnd.conf';
  const vals = (...v: string[]) => v.map((value, i) => ({ value, line: i + 1 }));
  test('absent key: undefined', () => {
    expect(firstDialTarget([], 10009, F, 'rpclisten', '--rpcserver')).toBeUndefined();
  });
  test('first TCP entry wins; Unix sockets are skipped', () => {
    expect(
      firstDialTarget(vals('unix:///s', '0.0.0.0:10010', 'localhost:10011'), 10009, F, 'rpclisten', '--rpcserver'),
    ).toEqual({
      host: 'localhost',
      port: 10010,
      line: 2,
    });
  });
  test.each([
    [
      ['unix:///var/run/lnd.sock'],
      /^\/l\/lnd\.conf:1: lnd listens only on a Unix socket \(rpclisten=unix:\/\/\/var\/run\/lnd\.sock\); htlc-tail connects over TCP: add a TCP rpclisten to lnd\.conf or pass --rpcserver HOST:PORT$/,
    ],
    [['localhost:1', 'x'], undefined],
    [
      ['host:notaport'],
      /^\/l\/lnd\.conf:1: rpclisten is not an address htlc-tail can read .* or pass --rpcserver HOST:PORT$/,
    ],
    [['ip://1.2.3.4'], /^\/l\/lnd\.conf:1: rpclisten uses network "ip", which lnd does not listen on/],
  ])('%j', (values, re) => {
    const run = () => firstDialTarget(vals(...values), 10009, F, 'rpclisten', '--rpcserver');
    if (re === undefined) {
      expect(run()).toEqual({ host: 'localhost', port: 1, line: 1 });
      return;
    }
    let err: unknown;
    try {
      run();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HtlcTailError);
    expect((err as HtlcTailError).kind).toBe('config');
    expect((err as HtlcTailError).message).toMatch(re);
  });
});
