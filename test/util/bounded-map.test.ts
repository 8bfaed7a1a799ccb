/** BoundedMap: at most `capacity` entries, the oldest dropped first; getOrSet computes once. */
import { describe, expect, test } from '@jest/globals';
import { BoundedMap } from '../../src/util/bounded-map.js';

describe('BoundedMap', () => {
  test('a new key when full drops the oldest', () => {
    const m = new BoundedMap<string, number>(2);
    m.set('a', 1).set('b', 2).set('c', 3);
    expect([...m.keys()]).toEqual(['b', 'c']);
    expect(m.get('a')).toBeUndefined();
    expect(m.size).toBe(2);
  });

  test('setting a key it holds replaces the value and drops nothing', () => {
    const m = new BoundedMap<string, number>(2);
    m.set('a', 1).set('b', 2).set('a', 3);
    expect([...m.keys()]).toEqual(['a', 'b']);
    expect(m.get('a')).toBe(3);
  });

  test('getOrSet computes a value once and keeps it, undefined included', () => {
    const m = new BoundedMap<string, string | undefined>(4);
    let calls = 0;
    const make = (k: string) => (calls++, k === 'none' ? undefined : k.toUpperCase());
    expect([m.getOrSet('x', make), m.getOrSet('x', make), m.getOrSet('none', make), m.getOrSet('none', make)]).toEqual([
      'X',
      'X',
      undefined,
      undefined,
    ]);
    expect(calls).toBe(2);
  });

  test('stays within its capacity over many keys', () => {
    const m = new BoundedMap<number, number>(100);
    for (let i = 0; i < 10_000; i++) m.getOrSet(i, (k) => k * 2);
    expect(m.size).toBe(100);
    expect(m.get(9_999)).toBe(19_998);
    expect(m.has(9_899)).toBe(false);
  });

  test.each([0, -1, 1.5, Number.NaN])('capacity %p is refused', (c) => {
    expect(() => new BoundedMap(c)).toThrow(RangeError);
  });
});
