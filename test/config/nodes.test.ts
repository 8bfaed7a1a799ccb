/**
 * resolveNodes: which profiles a run uses, how a profile's settings combine
 * with flags, every refusal, the password asked once, and the SOCKS5 proxy
 * per node (with the one notice for onion targets).
 */
import { describe, expect, test } from '@jest/globals';
import { inspect } from 'node:util';
import { closestNames, typoDistance } from '../../src/util/closest-names.js';
import {
  resolveNodes,
  ONION_CONNECT_TIMEOUT_MS,
  type NodeOptions,
  type ResolvedNodes,
} from '../../src/config/nodes.js';
import type { PasswordProvider } from '../../src/config/profile-connection.js';
import { HtlcTailError } from '../../src/errors.js';
import { FIXTURE_PASSWORD, profilesJson, simProfiles, type ProfileSpec } from '../fixtures/make-profiles.js';
import { CERT_PEM, fakeIO, MACAROON } from './fixtures.js';

const HOME = '/home/u';
const DEFAULT_FILE = '/home/u/.lncli/profiles.json';
const ONION = `${'a'.repeat(56)}.onion`;
const SIM = {
  rpcserver: 'node.example:10009',
  network: 'testnet',
  certPem: CERT_PEM,
  macaroons: { readonly: MACAROON, admin: Buffer.concat([MACAROON, Buffer.from([1])]) },
};
const SPEC = simProfiles(SIM, '/home/op/.lnd');
const FAST = { N: 1024, r: 8, p: 1 };

function fileWith(extra: ProfileSpec[] = [], def: string | undefined = SPEC.default): string {
  return profilesJson({ ...(def ? { default: def } : {}), profiles: [...SPEC.profiles, ...extra] });
}

interface Run {
  readonly result: ResolvedNodes;
  readonly asked: number;
}

async function run(
  raw: NodeOptions,
  env: Record<string, string> = {},
  files: Record<string, string> = { [DEFAULT_FILE]: fileWith() },
  answer = FIXTURE_PASSWORD,
): Promise<Run> {
  let asked = 0;
  const password: PasswordProvider = async () => {
    asked++;
    return Buffer.from(answer, 'utf8');
  };
  const result = await resolveNodes(raw, env, fakeIO(files, { homedir: HOME }), { password });
  return { result, asked };
}

async function failure(
  raw: NodeOptions,
  env: Record<string, string> = {},
  files?: Record<string, string>,
  answer?: string,
): Promise<HtlcTailError> {
  try {
    await run(raw, env, files, answer);
  } catch (e) {
    expect(e).toBeInstanceOf(HtlcTailError);
    return e as HtlcTailError;
  }
  throw new Error('resolved without an error');
}

const conn = (r: Run, i = 0) => r.result.nodes[i]!.config.connection;

describe('selection', () => {
  test('-p NAME: that profile of ~/.lncli/profiles.json', async () => {
    const r = await run({ profile: 'admin' });
    expect(r.result.nodes.map((n) => n.name)).toEqual(['admin']);
    expect(r.result.nodes[0]!.profile).toMatchObject({
      name: 'admin',
      file: DEFAULT_FILE,
      macaroonName: 'admin.macaroon',
      macaroonEncrypted: false,
    });
  });

  test.each<[string, NodeOptions, Record<string, string>, string | null]>([
    ['no option: the file default', {}, {}, 'plain'],
    ['LNCLI_PROFILE', {}, { LNCLI_PROFILE: 'admin' }, 'admin'],
    ['-p wins over LNCLI_PROFILE', { profile: 'admin' }, { LNCLI_PROFILE: 'plain' }, 'admin'],
    ["LNCLI_PROFILE='' turns profiles off", {}, { LNCLI_PROFILE: '' }, null],
    ["-p '' turns profiles off", { profile: '' }, { LNCLI_PROFILE: 'admin' }, null],
    ["-p ' ' (lncli's documented way) turns profiles off", { profile: ' ' }, {}, null],
    ['--rpcserver: no default profile', { rpcserver: 'localhost:10009' }, {}, null],
    ['--lnddir: no default profile', { lnddir: '/data/lnd' }, {}, null],
    ['-n: no default profile', { network: 'testnet' }, {}, null],
    ['--macaroonpath: no default profile', { macaroonpath: '/m' }, {}, null],
    [
      '--lndconnect: no default profile',
      { lndconnect: `lndconnect://h:1?macaroon=${MACAROON.toString('base64url')}` },
      {},
      null,
    ],
    [
      'HTLC_TAIL_LNDCONNECT: no default profile',
      {},
      { HTLC_TAIL_LNDCONNECT: `lndconnect://h:1?macaroon=${MACAROON.toString('base64url')}` },
      null,
    ],
    [
      'LNCLI_RPCSERVER does not turn the default off (lncli ignores it too)',
      {},
      { LNCLI_RPCSERVER: 'other:1' },
      'plain',
    ],
    [
      '--rpcserver with -p: the profile, the flag wins for its setting',
      { profile: 'admin', rpcserver: 'other:1' },
      {},
      'admin',
    ],
  ])('%s', async (_name, raw, env, want) => {
    const r = await run(raw, env);
    expect(r.result.nodes).toHaveLength(1);
    expect(r.result.nodes[0]!.name).toBe(want);
  });

  test('no profiles file: the plain options', async () => {
    const r = await run({}, {}, {});
    expect(r.result.nodes[0]!.name).toBeNull();
    expect(conn(r).rpcServer).toMatchObject({ host: 'localhost', port: 10009, source: 'default' });
  });

  test('a file without a default, no -p: the plain options', async () => {
    const r = await run({}, {}, { [DEFAULT_FILE]: fileWith([], '') });
    expect(r.result.nodes[0]!.name).toBeNull();
  });

  test('--profiles-file and LNCLI_PROFILES name the file', async () => {
    const files = { '/etc/p.json': fileWith([], 'admin'), '/env/p.json': fileWith([], 'plain') };
    expect(
      (await run({ profilesFile: '/etc/p.json' }, { LNCLI_PROFILES: '/env/p.json' }, files)).result.nodes[0]!.name,
    ).toBe('admin');
    expect((await run({}, { LNCLI_PROFILES: '/env/p.json' }, files)).result.nodes[0]!.name).toBe('plain');
    expect(
      (await run({ profilesFile: '~/p.json', profile: 'admin' }, {}, { '/home/u/p.json': fileWith() })).result.nodes[0]!
        .profile!.file,
    ).toBe('/home/u/p.json');
  });

  test('--profile all: every usable profile, the password asked once', async () => {
    const extra: ProfileSpec[] = [
      {
        name: 'enc2',
        rpcserver: 'b:2',
        tlscert: CERT_PEM,
        macaroons: [{ name: 'm', macaroon: MACAROON, password: FIXTURE_PASSWORD, scrypt: FAST }],
      },
    ];
    const usable = profilesJson({
      profiles: [...SPEC.profiles.filter((p) => ['plain', 'encrypted', 'admin'].includes(p.name)), ...extra],
    });
    const r = await run({ profile: 'all' }, {}, { [DEFAULT_FILE]: usable });
    expect(r.result.nodes.map((n) => n.name)).toEqual(['plain', 'encrypted', 'admin', 'enc2']);
    expect(r.asked).toBe(1);
    expect(r.result.nodes.every((n) => n.config.connection.macaroon.kind === 'bytes')).toBe(true);
  });

  test('closestNames (as pickProfiles calls it)', () => {
    const closest = (name: string, names: string[]) => closestNames(name, names, 3, typoDistance(name));
    expect(closest('admn', ['plain', 'admin', 'encrypted'])).toEqual(['admin']);
    expect(closest('umbrel', ['Umbrel-main', 'start9'])).toEqual(['Umbrel-main']);
    expect(closest('zzzzzz', ['plain'])).toEqual([]);
  });
});

describe('a profile becomes connection settings', () => {
  test('address, cert, macaroon, network and lnddir from the profile; lnd.conf not read', async () => {
    const r = await run(
      { profile: 'plain' },
      {},
      { [DEFAULT_FILE]: fileWith(), '/home/u/.lnd/lnd.conf': 'rpclisten=9.9.9.9:1\n' },
    );
    const c = conn(r);
    expect(c.rpcServer).toEqual({ host: 'node.example', port: 10009, source: 'profile "plain"' });
    expect(c.cert).toMatchObject({ kind: 'pem', source: 'profile "plain"' });
    expect(c.cert.kind === 'pem' && c.cert.pem.toString()).toBe(CERT_PEM);
    expect(c.macaroon).toMatchObject({ kind: 'bytes', source: 'profile "plain" (macaroon "readonly.macaroon")' });
    expect(c.macaroon.kind === 'bytes' && c.macaroon.bytes.equals(MACAROON)).toBe(true);
    expect([c.network, c.networkSource, c.lndDir, c.configFile]).toEqual([
      'testnet',
      'profile "plain"',
      '/home/op/.lnd',
      null,
    ]);
    expect(c.tlsServerName).toBe('node.example');
    expect(r.asked).toBe(0);
  });

  test('the encrypted macaroon is decrypted with the password (asked once)', async () => {
    const r = await run({ profile: 'encrypted' });
    const c = conn(r);
    expect(c.macaroon.kind === 'bytes' && c.macaroon.bytes.equals(MACAROON)).toBe(true);
    expect(r.asked).toBe(1);
    expect(r.result.nodes[0]!.profile!.macaroonEncrypted).toBe(true);
  });

  test('HTLC_TAIL_MACAROON_PASSWORD: nothing is asked', async () => {
    const r = await run(
      { profile: 'encrypted' },
      { HTLC_TAIL_MACAROON_PASSWORD: FIXTURE_PASSWORD },
      undefined,
      'wrong',
    );
    expect(r.asked).toBe(0);
  });

  test('flags win per setting; LNCLI_* variables are not read for a profile', async () => {
    const env = {
      LNCLI_RPCSERVER: 'env:1',
      LNCLI_NETWORK: 'signet',
      LNCLI_MACAROONPATH: '/env/m',
      LNCLI_TLSCERTPATH: '/env/c',
    };
    const r = await run(
      {
        profile: 'encrypted',
        rpcserver: 'flag:2',
        tlscertpath: '/flag/cert',
        macaroonpath: '/flag/mac',
        network: 'regtest',
      },
      env,
      undefined,
      'wrong password, never used',
    );
    const c = conn(r);
    expect(c.rpcServer).toEqual({ host: 'flag', port: 2, source: '--rpcserver' });
    expect(c.cert).toMatchObject({ kind: 'file', path: '/flag/cert' });
    expect(c.macaroon).toMatchObject({ kind: 'file', path: '/flag/mac' });
    expect(c.network).toBe('regtest');
    expect(r.asked).toBe(0); // --macaroonpath replaces the jar: nothing decrypted
    const e = await run({ profile: 'plain' }, env);
    expect(conn(e).rpcServer.source).toBe('profile "plain"');
    expect(conn(e).network).toBe('testnet');
    expect(conn(e).macaroon.kind).toBe('bytes');
  });

  test('--transport rest: the profile host on the REST port', async () => {
    const r = await run({ profile: 'plain', transport: 'rest' });
    expect(conn(r).restServer).toMatchObject({ host: 'node.example', port: 8080 });
    expect(conn(r).tlsServerName).toBe('node.example');
  });

  test('no tlscert: the system roots', async () => {
    const r = await run(
      { profile: 'ca' },
      {},
      {
        [DEFAULT_FILE]: fileWith([
          { name: 'ca', rpcserver: 'n.example:443', macaroons: [{ name: 'm', macaroon: MACAROON }] },
        ]),
      },
    );
    expect(conn(r).cert.kind).toBe('system');
    expect(conn(r).rpcServer).toMatchObject({ host: 'n.example', port: 443 });
  });

  test('the macaroon bytes never show when a node is inspected or serialized', async () => {
    const r = await run({ profile: 'encrypted' });
    const hex = MACAROON.toString('hex');
    expect(inspect(r.result, { depth: 10 })).not.toContain(hex.slice(0, 20));
    expect(JSON.stringify(r.result)).not.toContain(hex.slice(0, 20));
  });
});

describe('refusals (exit 3 naming the profile, the file and the setting; usage errors exit 2)', () => {
  const jar = (over: Partial<ProfileSpec>): ProfileSpec => ({
    name: 'x',
    rpcserver: 'h:1',
    tlscert: CERT_PEM,
    macaroons: [{ name: 'm', macaroon: MACAROON }],
    ...over,
  });
  test.each<[string, NodeOptions, Record<string, string>, Record<string, string> | undefined, string, RegExp]>([
    [
      'insecure',
      { profile: 'insecure' },
      {},
      undefined,
      'config',
      /profile "insecure" of \/home\/u\/\.lncli\/profiles\.json is "insecure" \(no TLS\)/,
    ],
    ['no-macaroons', { profile: 'nomac' }, {}, undefined, 'config', /profile "nomac" .* has "no-macaroons"/],
    [
      'default macaroon not in the jar',
      { profile: 'badjar' },
      {},
      undefined,
      'config',
      /default macaroon "admin" is not in the jar \(it holds "readonly\.macaroon"\)/,
    ],
    [
      'jar without a default',
      { profile: 'x' },
      {},
      { [DEFAULT_FILE]: fileWith([jar({ macaroonDefault: '' })]).replace('"default": "m",', '') },
      'config',
      /names no default macaroon/,
    ],
    [
      'no jar',
      { profile: 'x' },
      {},
      { [DEFAULT_FILE]: fileWith([jar({ macaroons: undefined })]) },
      'config',
      /has no macaroon in its jar/,
    ],
    [
      'empty jar',
      { profile: 'x' },
      {},
      { [DEFAULT_FILE]: fileWith([jar({ macaroons: [] })]) },
      'config',
      /has no macaroon in its jar/,
    ],
    [
      'cert not PEM',
      { profile: 'x' },
      {},
      { [DEFAULT_FILE]: fileWith([jar({ tlscert: 'hello' })]) },
      'config',
      /"tlscert" is not a PEM certificate/,
    ],
    [
      'cert malformed',
      { profile: 'x' },
      {},
      {
        [DEFAULT_FILE]: fileWith([jar({ tlscert: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' })]),
      },
      'config',
      /"tlscert" is malformed/,
    ],
    [
      'macaroon not hex',
      { profile: 'x' },
      {},
      {
        [DEFAULT_FILE]: fileWith([
          jar({ macaroons: [{ name: 'm', macaroon: Buffer.from('02abcdef', 'hex') }] }),
        ]).replace('02abcdef', '02abcdeg'),
      },
      'config',
      /macaroon "m" of profile "x" .* is neither hex nor snacl/,
    ],
    [
      "macaroon not lnd's",
      { profile: 'x' },
      {},
      { [DEFAULT_FILE]: fileWith([jar({ macaroons: [{ name: 'm', macaroon: Buffer.from('0301', 'hex') }] })]) },
      'config',
      /is not an lnd macaroon/,
    ],
    [
      'rpcserver not HOST:PORT',
      { profile: 'x' },
      {},
      { [DEFAULT_FILE]: fileWith([jar({ rpcserver: 'h:99999' })]) },
      'config',
      /"rpcserver" is not HOST:PORT/,
    ],
    [
      'network unknown',
      { profile: 'x' },
      {},
      { [DEFAULT_FILE]: fileWith([jar({ network: 'moonnet' })]) },
      'config',
      /"network" is not one of/,
    ],
    [
      'unknown profile: the closest names',
      { profile: 'admn' },
      {},
      undefined,
      'config',
      /profile "admn" \(--profile\) not found in \/home\/u\/\.lncli\/profiles\.json; did you mean "admin"\?/,
    ],
    [
      'unknown profile, nothing close: the names',
      { profile: 'zzzzzzzz' },
      {},
      { [DEFAULT_FILE]: profilesJson({ profiles: [SPEC.profiles[0]!] }) },
      'config',
      /not found .*; it has "plain"/,
    ],
    [
      '-p with no file',
      { profile: 'plain' },
      {},
      {},
      'config',
      /profiles file \/home\/u\/\.lncli\/profiles\.json not found \(named by --profile\)/,
    ],
    [
      '--profiles-file missing',
      { profilesFile: '/nope.json' },
      {},
      {},
      'config',
      /profiles file \/nope\.json not found \(named by --profiles-file\)/,
    ],
    [
      'LNCLI_PROFILES missing',
      {},
      { LNCLI_PROFILES: '/nope.json' },
      {},
      'config',
      /\/nope\.json not found \(named by LNCLI_PROFILES\)/,
    ],
    [
      'default file malformed',
      {},
      {},
      { [DEFAULT_FILE]: '{"profiles": 5}' },
      'config',
      /profiles file \/home\/u\/\.lncli\/profiles\.json is malformed/,
    ],
    [
      '--profile all of an empty file',
      { profile: 'all' },
      {},
      { [DEFAULT_FILE]: '{"profiles": []}' },
      'config',
      /holds no profiles/,
    ],
    [
      '--profiles-file without a default and no -p',
      { profilesFile: '/p.json' },
      {},
      { '/p.json': fileWith([], '') },
      'usage',
      /--profiles-file \/p\.json has no default profile; choose one with -p NAME \(profiles: "plain", "encrypted"/,
    ],
    [
      '-p with --lndconnect',
      { profile: 'plain', lndconnect: 'lndconnect://h:1' },
      {},
      undefined,
      'usage',
      /--profile and --lndconnect both name nodes to connect to; give the nodes either as profiles or as lndconnect URIs/,
    ],
    [
      'LNCLI_PROFILE with HTLC_TAIL_LNDCONNECT',
      {},
      { LNCLI_PROFILE: 'plain', HTLC_TAIL_LNDCONNECT: 'lndconnect://h:1' },
      undefined,
      'usage',
      /LNCLI_PROFILE and HTLC_TAIL_LNDCONNECT/,
    ],
    [
      '--profiles-file with an empty value',
      { profilesFile: ' ', profile: 'plain' },
      {},
      undefined,
      'usage',
      /--profiles-file needs a value/,
    ],
    ['all with other names', { profile: ['all', 'plain'] }, {}, undefined, 'usage', /already means every profile/],
  ])('%s', async (_name, raw, env, files, kind, re) => {
    const e = await failure(raw, env, files);
    expect(e.kind).toBe(kind);
    expect(e.message).toMatch(re);
  });

  test('a wrong password: exit 3 saying so, naming the profile, never the password', async () => {
    const e = await failure({ profile: 'encrypted' }, {}, undefined, 'not the password');
    expect(e.kind).toBe('config');
    expect(e.message).toMatch(
      /^wrong macaroon password for profile "encrypted" \(\/home\/u\/\.lncli\/profiles\.json\)/,
    );
    expect(e.message).not.toContain('not the password');
    const viaEnv = await failure({ profile: 'encrypted' }, { HTLC_TAIL_MACAROON_PASSWORD: 'env secret' });
    expect(viaEnv.message).toMatch(/wrong macaroon password/);
    expect(viaEnv.message).not.toContain('env secret');
  });

  test('several profiles with different passwords: the typed one is reused, and asked again where it does not fit', async () => {
    const other = 'another password';
    const extra: ProfileSpec[] = [
      {
        name: 'enc2',
        rpcserver: 'b:2',
        tlscert: CERT_PEM,
        macaroons: [{ name: 'm', macaroon: MACAROON, password: FIXTURE_PASSWORD, scrypt: FAST }],
      },
      {
        name: 'enc3',
        rpcserver: 'c:3',
        tlscert: CERT_PEM,
        macaroons: [{ name: 'm', macaroon: MACAROON, password: other, scrypt: FAST }],
      },
    ];
    const answers = [FIXTURE_PASSWORD, other];
    const asked: string[] = [];
    const password: PasswordProvider = async ({ profile }) => {
      asked.push(profile);
      return Buffer.from(answers.shift() ?? 'none', 'utf8');
    };
    const files = { [DEFAULT_FILE]: fileWith(extra) };
    const r = await resolveNodes({ profile: ['encrypted', 'enc2', 'enc3'] }, {}, fakeIO(files, { homedir: HOME }), {
      password,
    });
    expect(r.nodes.map((n) => n.name)).toEqual(['encrypted', 'enc2', 'enc3']);
    expect(asked).toEqual(['encrypted', 'enc3']);
    // With the variable, nothing is asked: its value is simply wrong for enc3.
    const e = await failure(
      { profile: ['encrypted', 'enc3'] },
      { HTLC_TAIL_MACAROON_PASSWORD: FIXTURE_PASSWORD },
      files,
    );
    expect(e.message).toMatch(/^wrong macaroon password for profile "enc3"/);
  });

  test('a typo at the prompt: asked once more for that profile, then exit 3', async () => {
    let asked = 0;
    const password: PasswordProvider = async () => {
      asked++;
      return Buffer.from(asked === 1 ? 'typo' : FIXTURE_PASSWORD, 'utf8');
    };
    const r = await resolveNodes(
      { profile: 'encrypted' },
      {},
      fakeIO({ [DEFAULT_FILE]: fileWith() }, { homedir: HOME }),
      { password },
    );
    expect(r.nodes).toHaveLength(1);
    expect(asked).toBe(2);
  });

  test('corrupt encrypted data: exit 3 "corrupt encrypted macaroon"', async () => {
    const text = fileWith();
    const m = /"data": "snacl:([^:]+):([^"]+)"/.exec(text)!;
    const ct = Buffer.from(m[2]!, 'base64');
    ct[30] = ct[30]! ^ 0xff;
    const e = await failure(
      { profile: 'encrypted' },
      {},
      { [DEFAULT_FILE]: text.replace(m[2]!, ct.toString('base64')) },
    );
    expect(e.kind).toBe('config');
    expect(e.message).toMatch(/^corrupt encrypted macaroon "readonly\.macaroon" in profile "encrypted"/);
  });

  test('an error from the password provider (no terminal) ends the run as is', async () => {
    const password: PasswordProvider = async () => {
      throw new HtlcTailError('config', 'no terminal; set HTLC_TAIL_MACAROON_PASSWORD');
    };
    await expect(
      resolveNodes({ profile: 'encrypted' }, {}, fakeIO({ [DEFAULT_FILE]: fileWith() }, { homedir: HOME }), {
        password,
      }),
    ).rejects.toThrow(/HTLC_TAIL_MACAROON_PASSWORD/);
  });
});

describe('SOCKS5 proxy per node', () => {
  const onionFile = {
    [DEFAULT_FILE]: fileWith([
      { name: 'tor', rpcserver: `${ONION}:10009`, tlscert: CERT_PEM, macaroons: [{ name: 'm', macaroon: MACAROON }] },
    ]),
  };

  test('an onion target, no proxy named: 127.0.0.1:9050, one notice, a 60 s connect timeout', async () => {
    const r = await run({ profile: 'tor' }, {}, onionFile);
    expect(r.result.nodes[0]!.proxy).toEqual({ host: '127.0.0.1', port: 9050, source: 'default for .onion addresses' });
    expect(r.result.notices).toHaveLength(1);
    expect(r.result.notices[0]).toMatch(
      new RegExp(
        `^${ONION}:10009 is a Tor onion address and no proxy was named: connecting through Tor's SOCKS5 proxy at 127\\.0\\.0\\.1:9050`,
      ),
    );
    expect(conn(r).connectTimeoutMs).toBe(ONION_CONNECT_TIMEOUT_MS);
    expect(Object.isFrozen(conn(r))).toBe(true);
  });

  test('--connect-timeout given: kept for an onion target', async () => {
    const r = await run({ profile: 'tor', connectTimeout: '5' }, {}, onionFile);
    expect(conn(r).connectTimeoutMs).toBe(5000);
  });

  test('--socks5 (or HTLC_TAIL_SOCKS5) applies to every node, no notice', async () => {
    const r = await run({ profile: 'tor', socks5: '10.0.0.2:9150' }, {}, onionFile);
    expect(r.result.nodes[0]!.proxy).toEqual({ host: '10.0.0.2', port: 9150, source: '--socks5' });
    expect(r.result.notices).toEqual([]);
    const e = await run({ rpcserver: 'plain.example:10009' }, { HTLC_TAIL_SOCKS5: 'socks5h://127.0.0.1:9050' }, {});
    expect(e.result.nodes[0]!.proxy).toEqual({ host: '127.0.0.1', port: 9050, source: 'HTLC_TAIL_SOCKS5' });
  });

  test('a plain target, no proxy named: direct', async () => {
    const r = await run({ rpcserver: 'node.example:10009' }, {}, {});
    expect(r.result.nodes[0]!.proxy).toBeNull();
    expect(r.result.notices).toEqual([]);
  });

  test('an onion --rpcserver (no profile) gets the same', async () => {
    const r = await run({ rpcserver: `${ONION.toUpperCase()}:10009` }, {}, {});
    expect(r.result.nodes[0]!.proxy?.port).toBe(9050);
    expect(r.result.notices).toHaveLength(1);
  });

  test('a bad --socks5 is a usage error before anything is read', async () => {
    const e = await failure({ socks5: 'http://proxy:3128' }, {}, {});
    expect(e.kind).toBe('usage');
    expect(e.message).toMatch(/--socks5 "http:\/\/proxy:3128": only SOCKS5 proxies are supported/);
  });
});

describe('several nodes', () => {
  const uri = (host: string) => `lndconnect://${host}:10009?macaroon=${MACAROON.toString('base64url')}`;

  test('-p repeated: those profiles in the order given, a name given twice once', async () => {
    const r = await run({ profile: ['admin', 'plain', 'admin'] });
    expect(r.result.nodes.map((n) => n.name)).toEqual(['admin', 'plain']);
  });

  test('--lndconnect repeated: one node per distinct URI, unnamed (their alias names them later)', async () => {
    const r = await run({ lndconnect: [uri('a.example'), uri('b.example'), ` ${uri('a.example')} `] });
    expect(r.result.nodes.map((n) => [n.name, n.config.connection.rpcServer.host])).toEqual([
      [null, 'a.example'],
      [null, 'b.example'],
    ]);
  });

  test('one --lndconnect in a list is one node, as the single value was', async () => {
    const r = await run({ lndconnect: [uri('a.example')] });
    expect(r.result.nodes).toHaveLength(1);
    expect(conn(r).rpcServer.host).toBe('a.example');
  });

  test.each<[string, NodeOptions, RegExp]>([
    [
      '--rpcserver',
      { profile: ['admin', 'plain'], rpcserver: 'x:1' },
      /^--rpcserver sets one node's connection, but 2 nodes are named \(admin, plain\); set it in each profile/,
    ],
    [
      '--macaroonpath',
      { profile: 'all', macaroonpath: '/m' },
      /^--macaroonpath sets one node's connection, but \d+ nodes are named/,
    ],
    [
      '--tls-server-name',
      { lndconnect: [uri('a.example'), uri('b.example')], tlsServerName: 'n' },
      /^--tls-server-name sets one node's connection, but 2 nodes are named \(a\.example:10009, b\.example:10009\); each lndconnect URI holds its own/,
    ],
  ])('%s with several nodes: a usage error', async (_n, raw, re) => {
    const e = await failure(
      raw,
      {},
      {
        [DEFAULT_FILE]: profilesJson({
          profiles: SPEC.profiles.filter((p) => p.name === 'admin' || p.name === 'plain'),
        }),
      },
    );
    expect(e.kind).toBe('usage');
    expect(e.message).toMatch(re);
  });

  test('two onion nodes, no proxy named: both through 127.0.0.1:9050, one notice', async () => {
    const r = await run({ lndconnect: [uri(ONION), uri(`b${ONION.slice(1)}`)] });
    expect(r.result.nodes.map((n) => n.proxy && `${n.proxy.host}:${n.proxy.port}`)).toEqual([
      '127.0.0.1:9050',
      '127.0.0.1:9050',
    ]);
    expect(r.result.notices).toHaveLength(1);
  });
});
