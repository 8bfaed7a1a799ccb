/** closestNames: the one "did you mean" ranking (prefix, containment, edit distance), and its distance limit. */
import { describe, expect, test } from '@jest/globals';
import { closestNames, typoDistance } from '../../src/util/closest-names.js';

const COMMANDS = ['demo', 'check', 'replay', 'help', 'report'];

describe('closestNames', () => {
  test.each<[string, string, readonly string[], number, number | undefined, string[]]>([
    ['one typo', 'chek', COMMANDS, 1, undefined, ['check']],
    ['case-insensitive', 'CHECK', COMMANDS, 1, undefined, ['check']],
    ['a prefix comes before a smaller edit distance', 'rep', COMMANDS, 2, undefined, ['replay', 'report']],
    ['the word starting with the candidate is a prefix too', 'checks', COMMANDS, 1, undefined, ['check']],
    [
      'containment before distance',
      'satoshi',
      ['ACINQ', 'WalletOfSatoshi.com', 'satoshx'],
      1,
      undefined,
      ['WalletOfSatoshi.com'],
    ],
    ['ties keep the candidates order', 'x', ['bb', 'aa', 'cc'], 3, undefined, ['bb', 'aa', 'cc']],
    ['n bounds the answer', 'x', ['aa', 'bb', 'cc', 'dd'], 2, undefined, ['aa', 'bb']],
    ['too far: dropped', 'zzzzzzzz', COMMANDS, 3, 4, []],
    ['a prefix is close enough whatever the limit', 'umbrel', ['Umbrel-main', 'start9'], 3, 2, ['Umbrel-main']],
    ['within the limit', 'admn', ['plain', 'admin', 'encrypted'], 3, 2, ['admin']],
    [
      'Unicode NFC: composed and decomposed are the same',
      'caf\u0065\u0301',
      ['caf\u00e9', 'cafe'],
      1,
      0,
      ['caf\u00e9'],
    ],
    ['no candidates', 'x', [], 3, undefined, []],
  ])('%s', (_name, word, candidates, n, max, want) => {
    expect(closestNames(word, candidates, n, max)).toEqual(want);
  });

  test('a limit per candidate', () => {
    // Two substitutions away: dropped with a limit of 1, kept with a limit of half the candidate's length (3).
    expect(closestNames('rxpxrt', ['report'], 1, 1)).toEqual([]);
    expect(closestNames('rxpxrt', ['report'], 1, (c) => c.length / 2)).toEqual(['report']);
  });

  test('typoDistance: half the length, at least 2', () => {
    expect([typoDistance(''), typoDistance('abc'), typoDistance('abcdef'), typoDistance('abcdefghij')]).toEqual([
      2, 2, 3, 5,
    ]);
  });
});
