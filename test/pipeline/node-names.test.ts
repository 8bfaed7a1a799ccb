import { describe, expect, test } from '@jest/globals';
import { NodeNames } from '../../src/pipeline/node-names.js';

describe('NodeNames: unique names for the nodes of a run', () => {
  test.each<[string, Array<string | null>, Array<[string, string]>, string[]]>([
    [
      'distinct aliases stay as they are',
      [null, null],
      [
        ['alice', 'a:1'],
        ['bob', 'b:1'],
      ],
      ['alice', 'bob'],
    ],
    [
      'the same alias twice: the later one gets its address',
      [null, null],
      [
        ['alice', 'a:1'],
        ['alice', 'b:1'],
      ],
      ['alice', 'alice (b:1)'],
    ],
    ['an alias equal to a profile name', ['alice', null], [['alice', 'b:1']], ['alice (b:1)']],
    [
      'host:port (no alias) is unique already',
      [null, null],
      [
        ['a:1', 'a:1'],
        ['b:1', 'b:1'],
      ],
      ['a:1', 'b:1'],
    ],
    [
      'the same address twice (two URIs to one node)',
      [null, null],
      [
        ['a:1', 'a:1'],
        ['a:1', 'a:1'],
      ],
      ['a:1', 'a:1 #2'],
    ],
  ])('%s', (_n, profiles, claims, want) => {
    const names = new NodeNames(profiles);
    expect(claims.map(([name, address]) => names.claim(name, address))).toEqual(want);
  });
});
