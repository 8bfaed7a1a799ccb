import { describe, test, expect } from '@jest/globals';
import { createColorizer, PLAIN_COLORIZER } from '../../src/format/colorizer.js';
import { FORMATS } from '../../src/format/names.js';
import { getFormatter } from '../../src/format/index.js';

describe('createColorizer', () => {
  const methods = ['bold', 'dim', 'underline', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan'] as const;
  test.each(methods)('plain %s returns its input', (m) => {
    const c = createColorizer(false);
    expect(c).toBe(PLAIN_COLORIZER);
    expect(c.enabled).toBe(false);
    expect(c[m]('x')).toBe('x');
  });
  test.each(methods)('coloured %s wraps its input in SGR codes', (m) => {
    const c = createColorizer(true);
    expect(c.enabled).toBe(true);
    const out = c[m]('x');
    expect(out).toContain('x');
    expect(out).toMatch(/^\x1b\[\d+mx\x1b\[\d+m$/);
  });
  test('independent of the global chalk level', () => {
    expect(createColorizer(true, 1).red('x')).toBe('\x1b[31mx\x1b[39m');
  });
});

describe('getFormatter', () => {
  test.each(FORMATS)('%s has a format function', (name) => {
    const f = getFormatter(name);
    expect(typeof f.format).toBe('function');
  });
  test('only table has a header', () => {
    const ctx = { colorizer: PLAIN_COLORIZER, utc: true };
    expect(getFormatter('table').header?.(ctx)).toMatch(
      /^TIME \(UTC\) +TYPE +EVENT +IN CHANNEL +OUT CHANNEL +AMOUNT SAT +FEE SAT +DURATION +RESULT$/,
    );
    for (const name of ['pretty', 'jsonl', 'raw'] as const) expect(getFormatter(name).header).toBeUndefined();
  });
  test('unknown name throws', () => {
    expect(() => getFormatter('xml' as never)).toThrow(/unknown format/);
  });
});
