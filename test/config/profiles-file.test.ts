import { describe, expect, test } from '@jest/globals';
import {
  defaultLncliDir,
  defaultProfilesFile,
  loadProfilesFile,
  parseProfilesFile,
} from '../../src/config/profiles-file.js';
import { HtlcTailError } from '../../src/errors.js';
import { profilesJson, simProfiles } from '../fixtures/make-profiles.js';
import { CERT_PEM, fakeIO, MACAROON } from './fixtures.js';

const FILE = '/home/u/.lncli/profiles.json';
const SIM = {
  rpcserver: 'node.example:10009',
  network: 'testnet',
  certPem: CERT_PEM,
  macaroons: { readonly: MACAROON, admin: MACAROON },
};

function configErrorOf(f: () => unknown): HtlcTailError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(HtlcTailError);
    expect((e as HtlcTailError).kind).toBe('config');
    return e as HtlcTailError;
  }
  throw new Error('no error');
}

describe('parseProfilesFile: what lncli writes', () => {
  test('the fixture file, field by field', () => {
    const f = parseProfilesFile(profilesJson(simProfiles(SIM, '/home/op/.lnd')), FILE);
    expect(f.path).toBe(FILE);
    expect(f.default).toBe('plain');
    expect(f.profiles.map((p) => p.name)).toEqual(['plain', 'encrypted', 'admin', 'insecure', 'nomac', 'badjar']);
    const plain = f.profiles[0]!;
    expect(plain).toMatchObject({
      index: 1,
      rpcserver: 'node.example:10009',
      lnddir: '/home/op/.lnd',
      network: 'testnet',
      noMacaroons: false,
      insecure: false,
    });
    expect(plain.tlscert).toBe(CERT_PEM);
    expect(plain.macaroons).toEqual({
      default: 'readonly.macaroon',
      timeout: 60,
      ip: '',
      jar: [{ name: 'readonly.macaroon', data: MACAROON.toString('hex') }],
    });
    expect(f.profiles[1]!.macaroons!.jar[0]!.data).toMatch(/^snacl:[A-Za-z0-9+/]+=*:[A-Za-z0-9+/]+=*$/);
    expect(f.profiles[3]!.insecure).toBe(true);
    expect(f.profiles[4]).toMatchObject({ noMacaroons: true, macaroons: null });
  });

  test("Go's decoding: keys match ignoring case, unknown keys ignored, null is the zero value, metadata kept", () => {
    const text = JSON.stringify({
      DEFAULT: 'a',
      Profiles: [
        {
          NAME: 'a',
          RpcServer: 'h:1',
          TLSCert: null,
          Network: null,
          extra: [1, 2],
          Macaroons: { Default: 'm', Jar: [{ Name: 'm', Data: 'ab' }] },
          metadata: { k: 'v' },
          Insecure: null,
        },
      ],
    });
    const f = parseProfilesFile(text, FILE);
    expect(f.default).toBe('a');
    expect(f.profiles[0]).toMatchObject({
      name: 'a',
      rpcserver: 'h:1',
      tlscert: '',
      network: '',
      insecure: false,
      metadata: { k: 'v' },
    });
    expect(f.profiles[0]!.macaroons).toEqual({ default: 'm', timeout: 0, ip: '', jar: [{ name: 'm', data: 'ab' }] });
  });

  test('an exact key wins over one that differs in case', () => {
    const f = parseProfilesFile('{"profiles":[{"Name":"x","name":"y"}]}', FILE);
    expect(f.profiles[0]!.name).toBe('y');
  });

  test('empty object, and profiles null: no profiles, no default', () => {
    expect(parseProfilesFile('{}', FILE)).toEqual({ path: FILE, default: '', profiles: [] });
    expect(parseProfilesFile('{"profiles":null}\n', FILE).profiles).toEqual([]);
    expect(parseProfilesFile('\uFEFF{"profiles":[]}', FILE).profiles).toEqual([]);
  });

  test.each([
    ['not JSON', '{"profiles": [', /not valid JSON/],
    ['a list', '[]', /malformed: the file is not a JSON object/],
    ['profiles not a list', '{"profiles": {}}', /"profiles" is not a list/],
    ['a profile not an object', '{"profiles": [1]}', /profile 1 is not an object/],
    [
      'rpcserver a number',
      '{"profiles": [{"name":"n","rpcserver": 10009}]}',
      /profile "n": "rpcserver" is not a string/,
    ],
    [
      'no-macaroons a string',
      '{"profiles": [{"name":"n","no-macaroons": "true"}]}',
      /profile "n": "no-macaroons" is not true or false/,
    ],
    ['insecure a number', '{"profiles": [{"name":"n","insecure": 1}]}', /"insecure" is not true or false/],
    [
      'jar entry not an object',
      '{"profiles": [{"name":"n","macaroons": {"jar": ["x"]}}]}',
      /profile "n" macaroons.jar\[0\] is not an object/,
    ],
    [
      'jar data a number',
      '{"profiles": [{"name":"n","macaroons": {"jar": [{"name":"a","data":1}]}}]}',
      /macaroons.jar\[0\].data" is not a string|macaroons.jar\[0\].data is not a string/,
    ],
    [
      'timeout a fraction',
      '{"profiles": [{"name":"n","macaroons": {"timeout": 1.5}}]}',
      /"macaroons.timeout" is not a whole number/,
    ],
    [
      'metadata value a number',
      '{"profiles": [{"name":"n","metadata": {"k": 1}}]}',
      /"metadata" value of "k" is not a string/,
    ],
    ['macaroons a list', '{"profiles": [{"name":"n","macaroons": []}]}', /"macaroons" is not an object/],
  ])('malformed: %s → exit 3 naming the file', (_name, text, re) => {
    const e = configErrorOf(() => parseProfilesFile(text, FILE));
    expect(e.message).toContain(FILE);
    expect(e.message).toMatch(re);
  });

  test('a JSON error gives line and column but never the text around it', () => {
    const hex = MACAROON.toString('hex');
    const text = `{\n  "profiles": [\n    {"name": "a", "macaroons": {"jar": [{"name": "m", "data": "${hex}" }}]}\n  ]\n}`;
    const e = configErrorOf(() => parseProfilesFile(text, FILE));
    expect(e.message).toMatch(/at line 3, column \d+/);
    expect(e.message).not.toContain(hex.slice(0, 16));
    expect(e.cause).toBeUndefined();
  });
});

describe('lncli\'s profiles file location (btcutil.AppDataDir("lncli", false))', () => {
  test.each([
    ['linux', {}, '/home/u', '/home/u/.lncli'],
    ['freebsd', {}, '/home/u', '/home/u/.lncli'],
    ['darwin', {}, '/Users/u', '/Users/u/Library/Application Support/Lncli'],
    [
      'win32',
      { LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local', APPDATA: 'C:\\R' },
      'C:\\Users\\u',
      'C:\\Users\\u\\AppData\\Local\\Lncli',
    ],
    ['win32', { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'C:\\Users\\u', 'C:\\Users\\u\\AppData\\Roaming\\Lncli'],
    ['win32', { localappdata: 'C:\\L' }, 'C:\\Users\\u', 'C:\\L\\Lncli'],
    ['linux', {}, '', '.'],
  ] as const)('%s %j home %s → %s', (platform, env, home, want) => {
    expect(defaultLncliDir(platform, env, home)).toBe(want);
  });

  test('the file is profiles.json in it', () => {
    expect(defaultProfilesFile('linux', {}, '/home/u')).toBe('/home/u/.lncli/profiles.json');
    expect(defaultProfilesFile('win32', { LOCALAPPDATA: 'C:\\L' }, 'C:\\U')).toBe('C:\\L\\Lncli\\profiles.json');
  });
});

describe('loadProfilesFile', () => {
  test.each([
    ['ENOENT', /not found \(why\)/],
    ['EACCES', /not readable \(permission denied\)/],
    ['EISDIR', /is a directory/],
    ['EIO', /cannot be read \(EIO\)/],
  ])('%s → exit 3 naming the file', (code, re) => {
    const io = {
      readFile: () => {
        const e = new Error(code) as NodeJS.ErrnoException;
        e.code = code;
        throw e;
      },
    };
    const e = configErrorOf(() => loadProfilesFile('/x/profiles.json', io, 'why'));
    expect(e.message).toMatch(re);
    expect(e.message).toContain('/x/profiles.json');
  });

  test('reads and parses', () => {
    const io = fakeIO({ '/p.json': '{"default":"a","profiles":[{"name":"a"}]}' });
    expect(loadProfilesFile('/p.json', io, 'x').default).toBe('a');
  });
});
