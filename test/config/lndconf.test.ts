import { describe, expect, test } from '@jest/globals';
import { goUnquote, parseGoBool, parseLndConf } from '../../src/config/lndconf.js';
import { expandPath } from '../../src/config/paths.js';
import { HtlcTailError } from '../../src/errors.js';

const F = '/home/u/.lnd/lnd.conf';

function confError(text: string): HtlcTailError {
  try {
    parseLndConf(text, F);
  } catch (e) {
    expect(e).toBeInstanceOf(HtlcTailError);
    return e as HtlcTailError;
  }
  throw new Error('expected an error');
}

describe('parseLndConf: sections, comments, values', () => {
  test.each([
    ['key before any section', 'rpclisten=localhost:10001', 'rpclisten', ['localhost:10001']],
    [
      'key under [Application Options]',
      '[Application Options]\nrpclisten=0.0.0.0:10009',
      'rpclisten',
      ['0.0.0.0:10009'],
    ],
    ['full key under [Bitcoin]', '[Bitcoin]\nbitcoin.regtest=1', 'bitcoin.regtest', ['1']],
    ['section name case-insensitive, any header', '[bItCoIn]\nbitcoin.active=1', 'bitcoin.active', ['1']],
    [
      'whitespace around key and value',
      '   tlsextradomain   =   node.example.com   ',
      'tlsextradomain',
      ['node.example.com'],
    ],
    ['; comment lines skipped', '; rpclisten=a:1\nrpclisten=b:2', 'rpclisten', ['b:2']],
    ['# comment lines skipped', '# rpclisten=a:1\n   # indented\nrpclisten=b:2', 'rpclisten', ['b:2']],
    ['no inline comments', 'alias=my node ; not a comment', 'alias', ['my node ; not a comment']],
    ['value split at first =', 'externalhosts=a=b', 'externalhosts', ['a=b']],
    [
      'repeated keys add values',
      'rpclisten=a:1\nrpclisten=b:2\n[Application Options]\nrpclisten=c:3',
      'rpclisten',
      ['a:1', 'b:2', 'c:3'],
    ],
    ['CRLF line endings', 'rpclisten=a:1\r\nrestlisten=b:2\r\n', 'rpclisten', ['a:1']],
    ['UTF-8 BOM ignored', '\uFEFFrpclisten=a:1', 'rpclisten', ['a:1']],
    ['empty value', 'alias=', 'alias', ['']],
    ['quoted value', 'alias="  spaced  "', 'alias', ['  spaced  ']],
    ['quoted value with escapes', String.raw`alias="a\tb\n\"c\"\\ \x41\101\u00e9"`, 'alias', ['a\tb\n"c"\\ AAé']],
    ['single quotes are literal', "alias='x'", 'alias', ["'x'"]],
    ['quote not at the start is literal', 'alias=a"b', 'alias', ['a"b']],
  ])('%s', (_name, text, key, values) => {
    const conf = parseLndConf(text, F);
    expect(conf.all(key).map((v) => v.value)).toEqual(values);
  });

  test('line numbers count every line, comments and blanks included', () => {
    const conf = parseLndConf('; c\n\n[Application Options]\nrpclisten=a:1\n\nrpclisten=b:2', F);
    expect(conf.rpclisten).toEqual([
      { value: 'a:1', line: 4 },
      { value: 'b:2', line: 6 },
    ]);
  });

  test('the last value of a single-valued key wins', () => {
    const conf = parseLndConf('tlscertpath=/a\ntlscertpath=/b', F);
    expect(conf.tlscertpath).toEqual({ value: '/b', line: 2 });
    expect(conf.last('tlscertpath')?.value).toBe('/b');
  });

  test('entries keep their section', () => {
    const conf = parseLndConf('a=1\n[Bitcoin]\nbitcoin.x=2', F);
    expect(conf.entries.map((e) => [e.section, e.key])).toEqual([
      ['', 'a'],
      ['Bitcoin', 'bitcoin.x'],
    ]);
  });

  test('keys are case-sensitive like lnd (group-relative names are not lnd keys)', () => {
    const conf = parseLndConf('[Bitcoin]\nregtest=1\nRPCListen=x:1', F);
    expect(conf.network).toBeUndefined();
    expect(conf.rpclisten).toEqual([]);
  });
});

describe('parseLndConf: the keys a client cares about', () => {
  test('paths, lists and flags', () => {
    const conf = parseLndConf(
      [
        '[Application Options]',
        'lnddir=/srv/lnd',
        'datadir=/data/lnd',
        'tlscertpath=/srv/lnd/tls.cert',
        'adminmacaroonpath=/m/admin.macaroon',
        'readonlymacaroonpath=/m/readonly.macaroon',
        'rpclisten=0.0.0.0:10009',
        'rpclisten=[::]:10010',
        'restlisten=0.0.0.0:8080',
        'tlsextraip=10.0.0.5',
        'tlsextraip=10.0.0.6',
        'tlsextradomain=node.example.com',
        'no-macaroons=0',
      ].join('\n'),
      F,
    );
    expect(conf.fileName).toBe(F);
    expect(conf.lnddir?.value).toBe('/srv/lnd');
    expect(conf.datadir?.value).toBe('/data/lnd');
    expect(conf.tlscertpath?.value).toBe('/srv/lnd/tls.cert');
    expect(conf.adminmacaroonpath?.value).toBe('/m/admin.macaroon');
    expect(conf.readonlymacaroonpath?.value).toBe('/m/readonly.macaroon');
    expect(conf.rpclisten.map((v) => v.value)).toEqual(['0.0.0.0:10009', '[::]:10010']);
    expect(conf.restlisten.map((v) => v.value)).toEqual(['0.0.0.0:8080']);
    expect(conf.tlsextraip).toEqual(['10.0.0.5', '10.0.0.6']);
    expect(conf.tlsextradomain).toEqual(['node.example.com']);
    expect(conf.noMacaroons).toBe(false);
    expect(conf.network).toBeUndefined();
  });

  test('an empty path value counts as unset', () => {
    expect(parseLndConf('tlscertpath=', F).tlscertpath).toBeUndefined();
  });

  test('paths are expanded with the given function (~ and $VAR, like lnd)', () => {
    const expand = (p: string) => expandPath(p, { platform: 'linux', env: { LND: '/srv/lnd' }, homedir: '/home/u' });
    const conf = parseLndConf('lnddir=~/.lnd-test\ntlscertpath=$LND/tls.cert\ndatadir=${LND}/data/', F, { expand });
    expect(conf.lnddir?.value).toBe('/home/u/.lnd-test');
    expect(conf.tlscertpath?.value).toBe('/srv/lnd/tls.cert');
    expect(conf.datadir?.value).toBe('/srv/lnd/data');
  });

  test.each([
    ['bitcoin.mainnet=1', 'mainnet'],
    ['bitcoin.testnet=true', 'testnet'],
    ['bitcoin.testnet4=TRUE', 'testnet4'],
    ['bitcoin.signet=t', 'signet'],
    ['[Bitcoin]\nbitcoin.regtest=True', 'regtest'],
    ['bitcoin.simnet=', 'simnet'],
    ['bitcoin.regtest=1\nbitcoin.regtest=0\nbitcoin.testnet=1', 'testnet'],
    ['bitcoin.regtest=false', undefined],
    ['bitcoin.active=1', undefined],
  ])('network from %j', (text, net) => {
    expect(parseLndConf(text, F).network?.name).toBe(net);
  });

  test('network carries its line', () => {
    expect(parseLndConf('\n[Bitcoin]\nbitcoin.signet=1', F).network).toEqual({ name: 'signet', line: 3 });
  });

  test.each([
    ['no-macaroons=1', true],
    ['no-macaroons=true', true],
    ['no-macaroons=', true],
    ['no-macaroons=false', false],
    ['', false],
  ])('no-macaroons %j', (text, v) => {
    expect(parseLndConf(text, F).noMacaroons).toBe(v);
  });
});

describe('parseLndConf: malformed lines are configuration errors with file and line', () => {
  test.each([
    ['bare key (go-flags rejects it)', 'rpclisten=a:1\nbitcoin.regtest', 2, /malformed line, expected key=value/],
    ['unterminated section', '\n[Application Options', 2, /malformed section header/],
    ['empty section', '[  ]', 1, /empty section name/],
    ['nothing before =', '=value', 1, /nothing before "="/],
    ['unterminated quote', 'alias="abc', 1, /quoted value of alias is malformed/],
    ['text after closing quote', 'alias="abc" x', 1, /quoted value of alias is malformed/],
    ['bad escape', String.raw`alias="a\qb"`, 1, /quoted value of alias is malformed/],
    ['bad boolean for a network', '[Bitcoin]\n\nbitcoin.regtest=yes', 3, /bitcoin.regtest must be a boolean/],
    ['bad boolean for no-macaroons', 'no-macaroons=on', 1, /no-macaroons must be a boolean/],
  ])('%s', (_name, text, line, re) => {
    const e = confError(text);
    expect(e.kind).toBe('config');
    expect(e.message).toMatch(new RegExp(`^${F.replace(/\./g, '\\.')}:${line}: `));
    expect(e.message).toMatch(re);
    expect(e.message).not.toContain('\n');
  });

  test('more than one network names both lines', () => {
    const e = confError('bitcoin.testnet=1\n[Bitcoin]\nbitcoin.regtest=1');
    expect(e.kind).toBe('config');
    expect(e.message).toBe(
      `${F}: more than one network is set: bitcoin.testnet (line 1), bitcoin.regtest (line 3); lnd allows only one, keep one of them in lnd.conf`,
    );
  });

  test('a malformed value is never echoed (lnd.conf holds passwords)', () => {
    const e = confError('bitcoind.rpcpass="hunter2-secret');
    expect(e.message).not.toContain('hunter2');
    const e2 = confError('hunter2-secret-on-its-own-line');
    expect(e2.message).not.toContain('hunter2');
  });
});

describe('goUnquote (Go strconv.Unquote, double quotes)', () => {
  test.each([
    ['""', ''],
    ['"abc"', 'abc'],
    [String.raw`"\a\b\f\n\r\t\v\\\""`, '\x07\b\f\n\r\t\v\\"'],
    [String.raw`"\x41\x42"`, 'AB'],
    [String.raw`"\101\102"`, 'AB'],
    [String.raw`"\u263a \U0001F600"`, '☺ 😀'],
    ['"ünïcödé"', 'ünïcödé'],
  ])('%s', (input, out) => {
    expect(goUnquote(input)).toBe(out);
  });
  test.each([
    ['"'],
    ['"abc'],
    ['abc"'],
    ['"a"b"'],
    [String.raw`"\'"`],
    [String.raw`"\400"`],
    [String.raw`"\x4"`],
    [String.raw`"\ud800"`],
    ['"a\nb"'],
  ])('rejects %s', (input) => {
    expect(goUnquote(input)).toBeUndefined();
  });
});

describe('parseGoBool', () => {
  test.each([
    ['1', true],
    ['t', true],
    ['T', true],
    ['true', true],
    ['TRUE', true],
    ['True', true],
    ['0', false],
    ['f', false],
    ['F', false],
    ['false', false],
    ['FALSE', false],
    ['False', false],
    ['yes', undefined],
    ['tRuE', undefined],
    ['2', undefined],
  ])('%s', (v, b) => {
    expect(parseGoBool(v)).toBe(b);
  });
});
