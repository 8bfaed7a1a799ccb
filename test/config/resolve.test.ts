import { describe, expect, test, afterAll } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { defaultConfigIo } from '../../src/config/io.js';
import { resolveConfig } from '../../src/config/resolve.js';
import { targetSpecOf } from '../../src/config/target-spec.js';
import type { Config, RawOptions } from '../../src/config/types.js';
import { HtlcTailError, exitCodeFor } from '../../src/errors.js';
import { b64url, CERT_DER, fakeIO, MACAROON } from './fixtures.js';

const HOME = '/home/u';
const LND = `${HOME}/.lnd`;
const CONF = `${LND}/lnd.conf`;
const LC = `lndconnect://remote.example:10019?cert=${b64url(CERT_DER)}&macaroon=${b64url(MACAROON)}`;
const LC_ENV = `lndconnect://envnode.example:10029?macaroon=${b64url(MACAROON)}`;

function resolve(
  raw: RawOptions = {},
  env: Record<string, string> = {},
  files: Record<string, string> = {},
  io = {},
): Config {
  return resolveConfig(raw, env, fakeIO(files, io));
}

function fail(raw: RawOptions, env: Record<string, string> = {}, files: Record<string, string> = {}): HtlcTailError {
  try {
    resolve(raw, env, files);
  } catch (e) {
    expect(e).toBeInstanceOf(HtlcTailError);
    const err = e as HtlcTailError;
    expect(err.message).not.toContain('\n');
    return err;
  }
  throw new Error('expected an error');
}

describe('defaults (no options, no environment, no files)', () => {
  const c = resolve();
  test('connection', () => {
    expect(c.connection).toEqual({
      rpcServer: { host: 'localhost', port: 10009, source: 'default' },
      restServer: null,
      tlsServerName: 'localhost',
      tlsServerNameSource: 'host',
      cert: {
        kind: 'system',
        source: `no cert given and none at ${LND}/tls.cert`,
        missingDefaultPath: `${LND}/tls.cert`,
      },
      macaroon: {
        kind: 'file',
        path: `${LND}/data/chain/bitcoin/mainnet/readonly.macaroon`,
        option: '--macaroonpath',
        source: 'default',
      },
      network: 'mainnet',
      networkSource: 'default',
      lndDir: LND,
      dataDir: `${LND}/data`,
      configFile: null,
      connectTimeoutMs: 10_000,
      wait: false,
      reconnect: true,
      transport: 'grpc',
    });
  });
  test('output, filter, count, debug', () => {
    expect(c.output).toEqual({
      format: 'pretty',
      colorMode: 'auto',
      color: false,
      stderrColor: false,
      utc: false,
      aliases: true,
      stats: false,
      statsIntervalSec: 0,
      stuckAfterSec: 60,
    });
    expect(c.filter.types).toBeNull();
    expect([...c.filter.events].sort()).toEqual([
      'final_htlc',
      'forward',
      'forward_fail',
      'link_fail',
      'settle',
      'unknown',
    ]);
    expect(c.count).toBeUndefined();
    expect(c.debug).toBe(false);
  });
  test('the default tls.cert is pinned when it exists', () => {
    expect(resolve({}, {}, { [`${LND}/tls.cert`]: 'x' }).connection.cert).toEqual({
      kind: 'file',
      path: `${LND}/tls.cert`,
      option: '--tlscertpath',
      source: 'default',
    });
  });
  test('the config is deeply frozen', () => {
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.connection.rpcServer)).toBe(true);
    expect(Object.isFrozen(c.filter)).toBe(true);
  });
  test.each([
    ['darwin', '/Users/u', {}, '/Users/u/Library/Application Support/Lnd'],
    ['win32', 'C:\\Users\\u', { LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'C:\\Users\\u\\AppData\\Local\\Lnd'],
  ] as const)('default lnddir on %s', (platform, homedir, env, dir) => {
    const conn = resolve({}, env, {}, { platform, homedir }).connection;
    expect(conn.lndDir).toBe(dir);
    expect(conn.dataDir).toBe(platform === 'win32' ? `${dir}\\data` : `${dir}/data`);
  });
});

describe('resolution order: flag > env > lndconnect > lnd.conf > default', () => {
  const conf = [
    '[Application Options]',
    'rpclisten=0.0.0.0:10049',
    'tlscertpath=/conf/tls.cert',
    'readonlymacaroonpath=/conf/readonly.macaroon',
    '[Bitcoin]',
    'bitcoin.regtest=1',
  ].join('\n');
  const files = { [CONF]: conf };
  type Row = [string, RawOptions, Record<string, string>, Record<string, string>, string, string];
  const rpc: Row[] = [
    [
      'flag',
      { rpcserver: 'flag.example:10009', lndconnect: LC },
      { LNCLI_RPCSERVER: 'env.example:1' },
      files,
      'flag.example:10009',
      '--rpcserver',
    ],
    ['env', { lndconnect: LC }, { LNCLI_RPCSERVER: 'env.example:1' }, files, 'env.example:1', 'LNCLI_RPCSERVER'],
    [
      'lndconnect flag',
      { lndconnect: LC },
      { HTLC_TAIL_LNDCONNECT: LC_ENV },
      files,
      'remote.example:10019',
      '--lndconnect',
    ],
    ['lndconnect env', {}, { HTLC_TAIL_LNDCONNECT: LC_ENV }, files, 'envnode.example:10029', 'HTLC_TAIL_LNDCONNECT'],
    ['lnd.conf', {}, {}, files, 'localhost:10049', `${CONF}:2 (rpclisten)`],
    ['default', {}, {}, {}, 'localhost:10009', 'default'],
    ['empty env counts as unset', {}, { LNCLI_RPCSERVER: '' }, {}, 'localhost:10009', 'default'],
  ];
  test.each(rpc)('rpcserver from %s', (_n, raw, env, f, addr, source) => {
    const s = resolve(raw, env, f).connection.rpcServer;
    expect(`${s.host}:${s.port}`).toBe(addr);
    expect(s.source).toBe(source);
  });

  test.each([
    [
      'flag',
      { tlscertpath: '~/flag.cert', lndconnect: LC },
      { LNCLI_TLSCERTPATH: '/env.cert' },
      files,
      { kind: 'file', path: `${HOME}/flag.cert`, option: '--tlscertpath' },
    ],
    [
      'env',
      { lndconnect: LC },
      { LNCLI_TLSCERTPATH: '/env.cert' },
      files,
      { kind: 'file', path: '/env.cert', option: 'LNCLI_TLSCERTPATH' },
    ],
    ['lndconnect with cert', { lndconnect: LC }, {}, files, { kind: 'pem' }],
    ['lndconnect without cert', {}, { HTLC_TAIL_LNDCONNECT: LC_ENV }, files, { kind: 'system' }],
    [
      'lnd.conf',
      {},
      {},
      files,
      { kind: 'file', path: '/conf/tls.cert', option: '--tlscertpath', source: `${CONF}:3 (tlscertpath)` },
    ],
  ] as const)('cert from %s', (_n, raw, env, f, want) => {
    expect(resolve(raw, env, f).connection.cert).toMatchObject(want);
  });

  test.each([
    [
      'flag',
      { macaroonpath: '$HOME/m.macaroon', lndconnect: LC },
      { HOME: '/h', LNCLI_MACAROONPATH: '/env.mac' },
      files,
      { kind: 'file', path: '/h/m.macaroon', option: '--macaroonpath' },
    ],
    [
      'env',
      { lndconnect: LC },
      { LNCLI_MACAROONPATH: '/env.mac' },
      files,
      { kind: 'file', path: '/env.mac', option: 'LNCLI_MACAROONPATH' },
    ],
    ['lndconnect', { lndconnect: LC }, {}, files, { kind: 'bytes', source: '--lndconnect URI' }],
    [
      'lnd.conf',
      {},
      {},
      files,
      { kind: 'file', path: '/conf/readonly.macaroon', source: `${CONF}:4 (readonlymacaroonpath)` },
    ],
    [
      'default of the lnd.conf network',
      {},
      {},
      { [CONF]: 'bitcoin.testnet=1' },
      { kind: 'file', path: `${LND}/data/chain/bitcoin/testnet/readonly.macaroon`, source: 'default' },
    ],
    [
      'default of the -n network',
      { network: 'signet' },
      {},
      {},
      { kind: 'file', path: `${LND}/data/chain/bitcoin/signet/readonly.macaroon` },
    ],
    [
      'default of LNCLI_NETWORK',
      {},
      { LNCLI_NETWORK: 'testnet4' },
      {},
      { kind: 'file', path: `${LND}/data/chain/bitcoin/testnet4/readonly.macaroon` },
    ],
    ['none with no-macaroons', {}, {}, { [CONF]: 'no-macaroons=1' }, { kind: 'none' }],
  ] as const)('macaroon from %s', (_n, raw, env, f, want) => {
    expect(resolve(raw, env, f).connection.macaroon).toMatchObject(want);
  });

  test('lndconnect macaroon bytes are the URI bytes', () => {
    const m = resolve({ lndconnect: LC }).connection.macaroon;
    expect(m.kind === 'bytes' && m.bytes.equals(MACAROON)).toBe(true);
  });

  test.each([
    ['flag', { network: 'REGTEST' }, { LNCLI_NETWORK: 'signet' }, files, 'regtest', '--network'],
    ['flag testnet3 alias', { network: 'testnet3' }, {}, {}, 'testnet', '--network'],
    ['env', {}, { LNCLI_NETWORK: 'signet' }, files, 'signet', 'LNCLI_NETWORK'],
    ['lnd.conf', {}, {}, files, 'regtest', `${CONF}:6 (bitcoin.regtest)`],
    ['default', {}, {}, {}, 'mainnet', 'default'],
  ] as const)('network from %s', (_n, raw, env, f, net, source) => {
    const c = resolve(raw, env, f).connection;
    expect(c.network).toBe(net);
    expect(c.networkSource).toBe(source);
  });
});

describe('lnddir, datadir and lnd.conf location', () => {
  test('--lnddir beats LNCLI_LNDDIR and finds lnd.conf there', () => {
    const c = resolve(
      { lnddir: '/flag' },
      { LNCLI_LNDDIR: '/env' },
      { '/flag/lnd.conf': 'rpclisten=:10101', '/env/lnd.conf': 'rpclisten=:10202' },
    ).connection;
    expect(c.lndDir).toBe('/flag');
    expect(c.configFile).toBe('/flag/lnd.conf');
    expect(c.rpcServer.port).toBe(10101);
    expect(c.macaroon).toMatchObject({ path: '/flag/data/chain/bitcoin/mainnet/readonly.macaroon' });
  });
  test('LNCLI_LNDDIR with ~ expansion', () => {
    const c = resolve({}, { LNCLI_LNDDIR: '~/node2' }, { [`${HOME}/node2/tls.cert`]: 'x' }).connection;
    expect(c.lndDir).toBe(`${HOME}/node2`);
    expect(c.cert).toMatchObject({ kind: 'file', path: `${HOME}/node2/tls.cert` });
  });
  test("lnd.conf's lnddir moves cert and data (and, like lnd, wins over its datadir/tlscertpath)", () => {
    const c = resolve(
      {},
      {},
      { [CONF]: 'lnddir=/srv/lnd\ndatadir=/ignored\ntlscertpath=/ignored.cert', '/srv/lnd/tls.cert': 'x' },
    ).connection;
    expect(c.lndDir).toBe('/srv/lnd');
    expect(c.dataDir).toBe('/srv/lnd/data');
    expect(c.cert).toMatchObject({ kind: 'file', path: '/srv/lnd/tls.cert', source: 'default' });
    expect(c.macaroon).toMatchObject({ path: '/srv/lnd/data/chain/bitcoin/mainnet/readonly.macaroon' });
  });
  test("lnd.conf's datadir moves the macaroons when lnddir is the default", () => {
    const c = resolve({}, {}, { [CONF]: 'datadir=~/ssd/lnd-data\nbitcoin.regtest=1' }).connection;
    expect(c.dataDir).toBe(`${HOME}/ssd/lnd-data`);
    expect(c.macaroon).toMatchObject({ path: `${HOME}/ssd/lnd-data/chain/bitcoin/regtest/readonly.macaroon` });
  });
  test('--lnddir beats lnd.conf lnddir', () => {
    expect(resolve({ lnddir: '/flag' }, {}, { '/flag/lnd.conf': 'lnddir=/conf' }).connection.lndDir).toBe('/flag');
  });
  test('--configfile is read instead of <lnddir>/lnd.conf', () => {
    const c = resolve(
      { configfile: '~/alt.conf' },
      {},
      { [`${HOME}/alt.conf`]: 'rpclisten=[::1]:10333', [CONF]: 'rpclisten=:1' },
    ).connection;
    expect(c.configFile).toBe(`${HOME}/alt.conf`);
    expect(c.rpcServer).toEqual({ host: '::1', port: 10333, source: `${HOME}/alt.conf:1 (rpclisten)` });
    expect(c.tlsServerName).toBe('::1');
  });
  test('with lndconnect, the default lnd.conf is not read (even a broken one)', () => {
    const c = resolve({ lndconnect: LC }, {}, { [CONF]: 'this line is broken' }).connection;
    expect(c.configFile).toBeNull();
    expect(c.network).toBe('mainnet');
  });
  test('with lndconnect, an explicit --configfile is read', () => {
    const c = resolve({ lndconnect: LC, configfile: '/x.conf' }, {}, { '/x.conf': 'bitcoin.signet=1' }).connection;
    expect(c.network).toBe('signet');
    expect(c.rpcServer.host).toBe('remote.example');
  });
});

describe('addresses and TLS server name', () => {
  test.each([
    [{ rpcserver: 'mynode' }, 'mynode', 10009, 'mynode'],
    [{ rpcserver: '[::1]:10010' }, '::1', 10010, '::1'],
    [{ rpcserver: '0.0.0.0:10011' }, 'localhost', 10011, 'localhost'],
    [{ rpcserver: '10.0.0.5:10009', tlsServerName: 'mynode.local' }, '10.0.0.5', 10009, 'mynode.local'],
    [{ lndconnect: LC, rpcserver: 'abc.onion:10009' }, 'abc.onion', 10009, 'abc.onion'],
  ] as const)('%j', (raw, host, port, name) => {
    const c = resolve(raw).connection;
    expect([c.rpcServer.host, c.rpcServer.port, c.tlsServerName]).toEqual([host, port, name]);
  });
  test('restServer: only for rest/ws, from --restserver, lndconnect, restlisten, default', () => {
    expect(resolve({ transport: 'rest' }).connection.restServer).toEqual({
      host: 'localhost',
      port: 8080,
      source: 'default',
    });
    expect(resolve({ transport: 'ws', restserver: 'n:8443' }).connection.restServer).toEqual({
      host: 'n',
      port: 8443,
      source: '--restserver',
    });
    expect(resolve({ transport: 'rest', lndconnect: LC }).connection.restServer).toMatchObject({
      host: 'remote.example',
      port: 10019,
    });
    const c = resolve(
      { transport: 'rest' },
      {},
      { [CONF]: 'restlisten=0.0.0.0:8081\nrpclisten=mynode:10009' },
    ).connection;
    expect(c.restServer).toEqual({ host: 'localhost', port: 8081, source: `${CONF}:1 (restlisten)` });
    expect(c.tlsServerName).toBe('localhost');
  });
  test('a socket-only restlisten does not matter with the grpc transport', () => {
    expect(resolve({}, {}, { [CONF]: 'restlisten=unix:///r.sock' }).connection.restServer).toBeNull();
  });
});

describe('output options', () => {
  test.each([
    [{}, {}, { stdoutIsTTY: true, stderrIsTTY: true }, { color: true, stderrColor: true, stats: true }],
    [{}, {}, { stdoutIsTTY: false, stderrIsTTY: true }, { color: false, stderrColor: true, stats: true }],
    [
      {},
      { NO_COLOR: '1' },
      { stdoutIsTTY: true, stderrIsTTY: true },
      { color: false, stderrColor: false, stats: true },
    ],
    [{ color: 'always' }, { NO_COLOR: '1' }, {}, { color: true, stderrColor: true, stats: false }],
    [{ color: 'never' }, { FORCE_COLOR: '1' }, { stdoutIsTTY: true }, { color: false, stderrColor: false }],
    [{}, { FORCE_COLOR: '1' }, {}, { color: true, stderrColor: true }],
    [{ stats: true }, {}, {}, { stats: true }],
    [{ stats: false }, {}, { stderrIsTTY: true }, { stats: false }],
    [{ statsInterval: '30' }, {}, {}, { stats: true, statsIntervalSec: 30 }],
    [{ stuckAfter: '2.5' }, {}, {}, { stuckAfterSec: 2.5 }],
    [{ format: 'JSONL', utc: true, aliases: false }, {}, {}, { format: 'jsonl', utc: true, aliases: false }],
  ] as const)('%j env %j io %j', (raw, env, io, want) => {
    expect(resolve(raw, env, {}, io).output).toMatchObject(want);
  });
  test('connection switches and numbers', () => {
    const c = resolve({
      wait: true,
      reconnect: false,
      connectTimeout: '2.5',
      transport: 'WS',
      count: '3',
      debug: true,
    });
    expect([
      c.connection.wait,
      c.connection.reconnect,
      c.connection.connectTimeoutMs,
      c.connection.transport,
      c.count,
      c.debug,
    ]).toEqual([true, false, 2500, 'ws', 3, true]);
  });
  test('the filter is compiled from the raw options', () => {
    const f = resolve({
      type: ['forward,send'],
      event: ['settle'],
      channel: ['830412x1903x1', 'ACINQ'],
      failures: true,
      minAmount: '1.5',
    }).filter;
    expect([...f.types!]).toEqual(['forward', 'send']);
    expect([...f.events]).toEqual(['settle']);
    expect([...f.channel!.ids]).toEqual(['913047649969438721']);
    expect(f.channel!.aliases).toEqual(['acinq']);
    expect(f.failures).toBe(true);
    expect(f.minAmountMsat).toBe(1500n);
  });
});

describe('every validation error: kind, exit code and message', () => {
  type Row = [string, RawOptions, Record<string, string>, Record<string, string>, 'usage' | 'config', string];
  const rows: Row[] = [
    [
      'bad --format',
      { format: 'xml' },
      {},
      {},
      'usage',
      '--format "xml" is not one of pretty, jsonl, table, raw, csv; pick one of those',
    ],
    [
      'bad --color',
      { color: 'sometimes' },
      {},
      {},
      'usage',
      '--color "sometimes" is not one of auto, always, never; pick one of those',
    ],
    [
      'bad --transport',
      { transport: 'http' },
      {},
      {},
      'usage',
      '--transport "http" is not one of grpc, rest, ws; pick one of those',
    ],
    ['bad --count', { count: '0' }, {}, {}, 'usage', '--count "0" is not a positive whole number; e.g. --count 10'],
    [
      'bad --connect-timeout',
      { connectTimeout: 'soon' },
      {},
      {},
      'usage',
      '--connect-timeout "soon" is not a positive number of seconds; e.g. --connect-timeout 30',
    ],
    [
      'bad --stats-interval',
      { statsInterval: '-1' },
      {},
      {},
      'usage',
      '--stats-interval "-1" is not a number of seconds (0 turns it off); e.g. --stats-interval 60',
    ],
    [
      'bad --stuck-after',
      { stuckAfter: '0' },
      {},
      {},
      'usage',
      '--stuck-after "0" is not a positive number of seconds; e.g. --stuck-after 300',
    ],
    [
      'bad --min-amount',
      { minAmount: '1.0001' },
      {},
      {},
      'usage',
      '--min-amount "1.0001" has more than 3 decimals (1 msat = 0.001 sat); give satoshis, e.g. --min-amount 1000 or --min-amount 0.5',
    ],
    [
      'bad --type',
      { type: ['forward,bogus'] },
      {},
      {},
      'usage',
      '--type "bogus" is not known; use one or more of send, receive, forward, unknown (comma-separated or repeated)',
    ],
    [
      'bad --event',
      { event: ['settled'] },
      {},
      {},
      'usage',
      '--event "settled" is not known; use one or more of forward, forward_fail, settle, link_fail, final_htlc, subscribed, unknown (comma-separated or repeated)',
    ],
    [
      'out-of-range --channel',
      { channel: ['99999999x1x1'] },
      {},
      {},
      'usage',
      '--channel "99999999x1x1" is out of range for a channel id (uint64) or a short channel id BLOCKxTXxOUT (block < 2^24, tx < 2^24, output < 2^16); check the number',
    ],
    [
      'alias with --no-aliases',
      { outChannel: ['ACINQ'], aliases: false },
      {},
      {},
      'usage',
      '--out-channel "ACINQ" is a peer alias (not a channel id or BLOCKxTXxOUT), but --no-aliases turns alias lookups off; drop --no-aliases or give the channel id',
    ],
    [
      '--stats-interval with --no-stats',
      { statsInterval: '10', stats: false },
      {},
      {},
      'usage',
      '--stats-interval prints summaries and --no-stats turns them off; give only one of them',
    ],
    [
      'bad --network',
      { network: 'bitcoin' },
      {},
      {},
      'usage',
      '--network "bitcoin" is not a network; use one of mainnet, testnet, testnet4, signet, regtest, simnet',
    ],
    [
      'bad LNCLI_NETWORK',
      {},
      { LNCLI_NETWORK: 'main' },
      {},
      'usage',
      'LNCLI_NETWORK "main" is not a network; use one of mainnet, testnet, testnet4, signet, regtest, simnet',
    ],
    [
      'bad --rpcserver',
      { rpcserver: 'https://node:10009' },
      {},
      {},
      'usage',
      `--rpcserver "https://node:10009" is not HOST:PORT (e.g. localhost:10009, [::1]:10009, mynode.onion:10009); give the lnd's gRPC address`,
    ],
    [
      'bad LNCLI_RPCSERVER',
      {},
      { LNCLI_RPCSERVER: 'node:port' },
      {},
      'usage',
      `LNCLI_RPCSERVER "node:port" is not HOST:PORT (e.g. localhost:10009, [::1]:10009, mynode.onion:10009); give the lnd's gRPC address`,
    ],
    [
      'bad --restserver',
      { restserver: 'a b' },
      {},
      {},
      'usage',
      `--restserver "a b" is not HOST:PORT (e.g. localhost:8080, [::1]:8080, mynode.onion:8080); give the lnd's REST address`,
    ],
    [
      'bad --tls-server-name',
      { tlsServerName: 'a b' },
      {},
      {},
      'usage',
      '--tls-server-name "a b" is not a host name; give a name the certificate holds, e.g. localhost',
    ],
    ['empty --rpcserver', { rpcserver: '' }, {}, {}, 'usage', '--rpcserver needs a value; see htlc-tail --help'],
    ['empty --configfile', { configfile: ' ' }, {}, {}, 'usage', '--configfile needs a value; see htlc-tail --help'],
    ['empty --type', { type: [','] }, {}, {}, 'usage', '--type needs a value; see htlc-tail --help'],
    [
      'missing --configfile',
      { configfile: '/nope/lnd.conf' },
      {},
      {},
      'config',
      '--configfile /nope/lnd.conf: no such file; check the path, or leave --configfile out to use <lnddir>/lnd.conf',
    ],
    [
      'malformed lnd.conf',
      {},
      {},
      { [CONF]: '[Application Options]\nrpclisten' },
      'config',
      `${CONF}:2: malformed line, expected key=value (lnd rejects a bare key too; write key=1 for a boolean, or start a comment with ;)`,
    ],
    [
      'two networks in lnd.conf',
      {},
      {},
      { [CONF]: 'bitcoin.mainnet=1\nbitcoin.signet=1' },
      'config',
      `${CONF}: more than one network is set: bitcoin.mainnet (line 1), bitcoin.signet (line 2); lnd allows only one, keep one of them in lnd.conf`,
    ],
    [
      'socket-only rpclisten',
      {},
      {},
      { [CONF]: 'rpclisten=unix:///run/lnd.sock' },
      'config',
      `${CONF}:1: lnd listens only on a Unix socket (rpclisten=unix:///run/lnd.sock); htlc-tail connects over TCP: add a TCP rpclisten to lnd.conf or pass --rpcserver HOST:PORT`,
    ],
    [
      'bad lndconnect',
      { lndconnect: 'lndconnect://host:1?macaroon=!!' },
      {},
      {},
      'config',
      '--lndconnect: the macaroon parameter of the lndconnect URI is not an lnd macaroon (expected base64url of the macaroon file); check the URI given to --lndconnect (regenerate it with lndconnect if in doubt)',
    ],
    [
      'lndconnect without macaroon',
      {},
      { HTLC_TAIL_LNDCONNECT: 'lndconnect://host:1' },
      {},
      'config',
      'HTLC_TAIL_LNDCONNECT: the lndconnect URI has no macaroon parameter; use a URI that includes one, or pass --macaroonpath',
    ],
  ];
  test.each(rows)('%s', (_n, raw, env, files, kind, message) => {
    const e = fail(raw, env, files);
    expect(e.kind).toBe(kind);
    expect(exitCodeFor(e)).toBe(kind === 'usage' ? 2 : 3);
    expect(e.message).toBe(message);
  });

  test('usage errors come before file errors', () => {
    expect(fail({ format: 'xml', configfile: '/nope' }).kind).toBe('usage');
  });

  test('an unreadable lnd.conf is a configuration error naming it', () => {
    const io = fakeIO({ [CONF]: '' });
    io.readFile = () => {
      const e = new Error('EACCES') as NodeJS.ErrnoException;
      e.code = 'EACCES';
      throw e;
    };
    let err: unknown;
    try {
      resolveConfig({}, {}, io);
    } catch (e) {
      err = e;
    }
    expect((err as HtlcTailError).kind).toBe('config');
    expect((err as HtlcTailError).message).toBe(
      `cannot read lnd.conf ${CONF} (permission denied); make it readable for this user, or point --configfile (or --lnddir) at a readable lnd.conf`,
    );
  });
  test('an lndconnect macaroon never shows in the inspected config', () => {
    const c = resolve({ lndconnect: LC });
    const hex = MACAROON.toString('hex');
    expect(inspect(c, { depth: 10 })).not.toContain(hex.slice(0, 16));
    expect(inspect(c, { depth: 10 })).not.toMatch(/<Buffer 02 01/);
    const json = JSON.stringify(c);
    expect(json).toContain('"bytes":"[macaroon bytes redacted]"');
    expect(json).not.toContain(`${MACAROON[0]},${MACAROON[1]},${MACAROON[2]},${MACAROON[3]},${MACAROON[4]}`);
  });
});

describe('targetSpecOf', () => {
  test('grpc: rpcServer, its host as TLS name, file cert and macaroon', () => {
    const c = resolve({ rpcserver: 'n:1', tlscertpath: '/c', macaroonpath: '/m', connectTimeout: '3' });
    expect(targetSpecOf(c)).toEqual({
      host: 'n',
      port: 1,
      tlsServerName: 'n',
      cert: { kind: 'file', path: '/c', option: '--tlscertpath' },
      macaroon: { kind: 'file', path: '/m', option: '--macaroonpath' },
      connectTimeoutMs: 3000,
    });
  });
  test('rest: restServer; an explicit TLS name is kept for any endpoint', () => {
    const c = resolve({
      transport: 'rest',
      restserver: 'r:8080',
      rpcserver: 'g:1',
      tlsServerName: 'name',
      lndconnect: LC,
    });
    const t = targetSpecOf(c);
    expect([t.host, t.port, t.tlsServerName, t.cert.kind, t.macaroon.kind]).toEqual([
      'r',
      8080,
      'name',
      'pem',
      'bytes',
    ]);
    expect(targetSpecOf(c, c.connection.rpcServer).host).toBe('g');
  });
  test('system roots when no cert (the missing default is kept for the error); no-macaroons sends none', () => {
    expect(targetSpecOf(resolve({ macaroonpath: '/m' })).cert).toEqual({
      kind: 'system',
      missingDefaultPath: '/home/u/.lnd/tls.cert',
    });
    expect(targetSpecOf(resolve({}, {}, { [CONF]: 'no-macaroons=1' })).macaroon).toMatchObject({ kind: 'none' });
  });
});

describe('with a real lnd directory on disk', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htlc-tail-config-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  test('reads lnd.conf and finds the cert through the real filesystem', () => {
    fs.writeFileSync(path.join(dir, 'tls.cert'), 'cert');
    fs.writeFileSync(
      path.join(dir, 'lnd.conf'),
      '; my node\n[Application Options]\nrpclisten=0.0.0.0:10019\nrestlisten=[::]:8089\n\n[Bitcoin]\nbitcoin.regtest=true\n',
    );
    const c = resolveConfig({ lnddir: dir, transport: 'rest' }, {}, defaultConfigIo());
    expect(c.connection.configFile).toBe(path.join(dir, 'lnd.conf'));
    expect(c.connection.rpcServer).toMatchObject({ host: 'localhost', port: 10019 });
    expect(c.connection.restServer).toMatchObject({ host: 'localhost', port: 8089 });
    expect(c.connection.network).toBe('regtest');
    expect(c.connection.cert).toMatchObject({ kind: 'file', path: path.join(dir, 'tls.cert') });
    expect(c.connection.macaroon).toMatchObject({
      path: path.join(dir, 'data', 'chain', 'bitcoin', 'regtest', 'readonly.macaroon'),
    });
  });
  test('a directory given as --configfile is a configuration error', () => {
    expect(() => resolveConfig({ configfile: dir }, {}, defaultConfigIo())).toThrow(
      /cannot read lnd.conf .* \(it is a directory\)/,
    );
  });
});
