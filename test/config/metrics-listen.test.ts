import { describe, expect, test } from '@jest/globals';
import { parseMetricsListen } from '../../src/config/metrics-listen.js';
import { HtlcTailError } from '../../src/errors.js';

describe('parseMetricsListen', () => {
  test.each([
    ['127.0.0.1:9464', '127.0.0.1', 9464, '127.0.0.1:9464'],
    ['[::1]:9464', '::1', 9464, '[::1]:9464'],
    [':9464', '127.0.0.1', 9464, '127.0.0.1:9464'],
    ['9464', '127.0.0.1', 9464, '127.0.0.1:9464'],
    ['0.0.0.0:9464', '0.0.0.0', 9464, '0.0.0.0:9464'],
    ['[::]:9464', '::', 9464, '[::]:9464'],
    ['localhost:9464', 'localhost', 9464, 'localhost:9464'],
    ['monitor.lan:9100', 'monitor.lan', 9100, 'monitor.lan:9100'],
    ['[fe80::1%eth0]:9464', 'fe80::1%eth0', 9464, '[fe80::1%eth0]:9464'],
    [' 127.0.0.1:0 ', '127.0.0.1', 0, '127.0.0.1:0'],
    [':65535', '127.0.0.1', 65535, '127.0.0.1:65535'],
  ])('%j → %s port %d', (text, host, port, display) => {
    expect(parseMetricsListen(text)).toEqual({ host, port, display });
  });

  test.each([
    ['', /no address given/],
    ['127.0.0.1', /the port is missing/],
    ['127.0.0.1:', /the port is missing/],
    ['[::1]', /the port is missing/],
    ['::1', /write an IPv6 address in brackets|the port is missing/],
    ['::1:9464', /write an IPv6 address in brackets/],
    ['host:65536', /"65536" is not a port/],
    ['host:http', /"http" is not a port/],
    ['http://127.0.0.1:9464/metrics', /give an address, not a URL/],
    ['[::1:9464', /closing bracket/],
    ['[nope]:9464', /is not an IPv6 address/],
    ['[::1]9464', /expected :PORT/],
    ['my host:9464', /is not a host name or IP address/],
    ['user@host:9464', /is not a host name or IP address/],
    ['300.1.1.1:9464', /is not an IPv4 address/],
  ])('%j is a usage error naming --metrics-listen', (text, why) => {
    let err: unknown;
    try {
      parseMetricsListen(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HtlcTailError);
    expect((err as HtlcTailError).kind).toBe('usage');
    const msg = (err as HtlcTailError).message;
    expect(msg.startsWith(`--metrics-listen ${JSON.stringify(text)}: `)).toBe(true);
    expect(msg).toMatch(why);
    expect(msg).toMatch(/e\.g\. --metrics-listen 127\.0\.0\.1:9464/);
    expect(msg).not.toMatch(/\n/);
  });
});
