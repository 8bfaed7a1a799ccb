import { describe, expect, test } from '@jest/globals';
import { historyDbLocation } from '../../src/config/history-db.js';

describe('historyDbLocation (SPEC: --db, else HTLC_TAIL_DB, else XDG_DATA_HOME, else ~/.local/share)', () => {
  test.each([
    [
      '--db wins',
      '/srv/h.sqlite',
      { HTLC_TAIL_DB: '/x.sqlite', XDG_DATA_HOME: '/xdg' },
      'linux',
      { path: '/srv/h.sqlite', source: '--db' },
    ],
    ['--db relative stays relative', 'h.sqlite', {}, 'linux', { path: 'h.sqlite', source: '--db' }],
    ['--db ~/ expands', '~/h.sqlite', {}, 'linux', { path: '/home/u/h.sqlite', source: '--db' }],
    [
      'HTLC_TAIL_DB',
      undefined,
      { HTLC_TAIL_DB: '/x.sqlite', XDG_DATA_HOME: '/xdg' },
      'linux',
      { path: '/x.sqlite', source: 'HTLC_TAIL_DB' },
    ],
    [
      'XDG_DATA_HOME',
      undefined,
      { XDG_DATA_HOME: '/xdg' },
      'linux',
      { path: '/xdg/htlc-tail/history.sqlite', source: 'XDG_DATA_HOME' },
    ],
    [
      'a relative XDG_DATA_HOME is ignored',
      undefined,
      { XDG_DATA_HOME: 'rel' },
      'linux',
      { path: '/home/u/.local/share/htlc-tail/history.sqlite', source: 'default' },
    ],
    ['default', undefined, {}, 'linux', { path: '/home/u/.local/share/htlc-tail/history.sqlite', source: 'default' }],
    [
      'macOS: the same XDG default',
      undefined,
      {},
      'darwin',
      { path: '/home/u/.local/share/htlc-tail/history.sqlite', source: 'default' },
    ],
    [
      'Windows: LOCALAPPDATA',
      undefined,
      { LocalAppData: 'C:\\Users\\u\\AppData\\Local' },
      'win32',
      { path: 'C:\\Users\\u\\AppData\\Local\\htlc-tail\\history.sqlite', source: 'default' },
    ],
  ] as const)('%s', (_name, flag, env, platform, expected) => {
    expect(
      historyDbLocation(flag, env, platform as NodeJS.Platform, platform === 'win32' ? 'C:\\Users\\u' : '/home/u'),
    ).toEqual(expected);
  });

  test('an empty --db is a usage error', () => {
    expect(() => historyDbLocation('  ', {}, 'linux', '/home/u')).toThrow(
      '--db needs a file name; e.g. --db ~/htlc-history.sqlite',
    );
  });
});
