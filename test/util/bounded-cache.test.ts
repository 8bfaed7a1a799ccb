import { describe, expect, test } from '@jest/globals';
import { BoundedCache } from '../../src/util/bounded-cache.js';

describe('BoundedCache', () => {
  test('keeps values, never more than maxEntries: emptied when full, before the next one goes in', () => {
    const c = new BoundedCache<string, number>(3);
    c.set('a', 1);
    c.set('b', 2);
    c.set('c', 3);
    expect([c.get('a'), c.get('b'), c.get('c'), c.size]).toEqual([1, 2, 3, 3]);
    c.set('a', 10); // full: emptied first
    expect([c.get('a'), c.get('b'), c.size]).toEqual([10, undefined, 1]);
  });

  test('getOrMake makes a value once and keeps it', () => {
    const c = new BoundedCache<number, string>(2);
    let made = 0;
    const make = (k: number) => {
      made++;
      return `v${k}`;
    };
    expect([c.getOrMake(1, make), c.getOrMake(1, make), c.getOrMake(2, make)]).toEqual(['v1', 'v1', 'v2']);
    expect(made).toBe(2);
    expect(c.getOrMake(3, make)).toBe('v3');
    expect(c.size).toBe(1);
  });
});
