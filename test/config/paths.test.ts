import { describe, expect, test } from '@jest/globals';
import { cleanPath, defaultLndDir, expandEnv, expandPath, getEnv } from '../../src/config/paths.js';

describe('defaultLndDir per OS (btcutil.AppDataDir("lnd"))', () => {
  test.each([
    ['linux', {}, '/home/u', '/home/u/.lnd'],
    ['freebsd', {}, '/home/u', '/home/u/.lnd'],
    ['openbsd', {}, '/home/u', '/home/u/.lnd'],
    ['darwin', {}, '/Users/u', '/Users/u/Library/Application Support/Lnd'],
    ['win32', { LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'C:\\Users\\u', 'C:\\Users\\u\\AppData\\Local\\Lnd'],
    ['win32', { localappdata: 'C:\\L' }, 'C:\\Users\\u', 'C:\\L\\Lnd'],
    ['win32', { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'C:\\Users\\u', 'C:\\Users\\u\\AppData\\Roaming\\Lnd'],
    ['win32', {}, 'C:\\Users\\u', 'C:\\Users\\u\\.lnd'],
    ['linux', {}, '', '.'],
  ] as const)('%s %j home %s → %s', (platform, env, home, dir) => {
    expect(defaultLndDir(platform, env, home)).toBe(dir);
  });
});

describe('expandPath (lnd CleanAndExpandPath)', () => {
  const ctx = {
    platform: 'linux' as const,
    env: { HOME: '/home/env', LND: '/srv/lnd', EMPTY: '' },
    homedir: '/home/u',
  };
  test.each([
    ['~', '/home/u'],
    ['~/.lnd/tls.cert', '/home/u/.lnd/tls.cert'],
    ['$HOME/.lnd', '/home/env/.lnd'],
    ['${LND}/tls.cert', '/srv/lnd/tls.cert'],
    ['$LND/../other/', '/srv/other'],
    ['$UNSET/x', '/x'],
    ['${EMPTY}x', 'x'],
    ['/a//b/./c/', '/a/b/c'],
    ['relative/./dir', 'relative/dir'],
    ['', ''],
    ['/cost$', '/cost$'],
  ])('%s → %s', (input, out) => {
    expect(expandPath(input, ctx)).toBe(out);
  });

  test('windows: backslashes, %VAR% untouched like lnd, $VAR expanded case-insensitively', () => {
    const w = { platform: 'win32' as const, env: { LocalAppData: 'C:\\L' }, homedir: 'C:\\Users\\u' };
    expect(expandPath('~/lnd', w)).toBe('C:\\Users\\u\\lnd');
    expect(expandPath('$LOCALAPPDATA/Lnd/', w)).toBe('C:\\L\\Lnd');
    expect(expandPath('%LOCALAPPDATA%\\Lnd', w)).toBe('%LOCALAPPDATA%\\Lnd');
  });
});

describe('expandEnv (Go os.Expand)', () => {
  const look = (n: string) => ({ A: 'x', B_1: 'y', '1': 'one' })[n];
  test.each([
    ['$A', 'x'],
    ['$A$B_1', 'xy'],
    ['${A}b', 'xb'],
    ['$Ab', ''],
    ['a$', 'a$'],
    ['$ a', '$ a'],
    ['${}z', 'z'],
    ['${A', 'A'],
    ['$1x', 'onex'],
    ['no vars', 'no vars'],
  ])('%s → %s', (s, out) => {
    expect(expandEnv(s, look)).toBe(out);
  });
});

describe('cleanPath and getEnv', () => {
  test.each([
    ['/', 'linux', '/'],
    ['/a/', 'linux', '/a'],
    ['', 'linux', '.'],
    ['C:\\', 'win32', 'C:\\'],
    ['C:/a/b/', 'win32', 'C:\\a\\b'],
  ] as const)('cleanPath(%j, %s) = %j', (p, platform, out) => {
    expect(cleanPath(p, platform)).toBe(out);
  });
  test('getEnv is exact on POSIX, case-insensitive on Windows', () => {
    expect(getEnv({ Path: 'p' }, 'PATH', 'linux')).toBeUndefined();
    expect(getEnv({ Path: 'p' }, 'PATH', 'win32')).toBe('p');
  });
});
