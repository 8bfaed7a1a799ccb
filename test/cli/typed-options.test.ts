/**
 * The typed Commander boundary (cli/typed-options.ts): Commander's parsed
 * options pass only as exactly the declared type. The mismatches are checked
 * by the compiler (`@ts-expect-error` fails `tsc` and this test when the call
 * compiles after all); the runtime part checks the values pass unchanged.
 */
import { describe, expect, test } from '@jest/globals';
import { Command } from '../../src/cli/commander.js';
import { addFilterOptions } from '../../src/cli/options.js';
import { optionsAs } from '../../src/cli/typed-options.js';
import type { FilterFlags } from '../../src/config/options.js';

interface Declared {
  readonly rpcserver?: string;
  readonly count?: string;
}

describe('optionsAs', () => {
  test('the same keys and fitting values: the parsed object itself', () => {
    const cmd = new Command('x').option('--rpcserver <host:port>').option('--count <n>');
    cmd.parse(['--rpcserver', 'a:1', '--count', '3'], { from: 'user' });
    const opts = cmd.opts();
    expect(optionsAs<Declared>()(opts)).toBe(opts);
    expect(optionsAs<Declared>()(opts)).toEqual({ rpcserver: 'a:1', count: '3' });
  });

  test('a flag renamed on one side, one missing, one too many, or a value of another type: no compile', () => {
    const renamed = new Command('x').option('--rpc-server <host:port>').option('--count <n>').opts();
    // @ts-expect-error rpcServer is not declared, rpcserver not parsed
    optionsAs<Declared>()(renamed);
    const missing = new Command('x').option('--rpcserver <host:port>').opts();
    // @ts-expect-error count is declared but not parsed
    optionsAs<Declared>()(missing);
    const extra = new Command('x').option('--rpcserver <host:port>').option('--count <n>').option('--wait').opts();
    // @ts-expect-error wait is parsed but not declared
    optionsAs<Declared>()(extra);
    const retyped = new Command('x').option('--rpcserver <host:port>').option('--count <n...>').opts();
    // @ts-expect-error count is a list here, a string in the declaration
    optionsAs<Declared>()(retyped);
    expect(true).toBe(true);
  });

  test("the filter group's parsed options are FilterFlags (repeatable lists as arrays)", () => {
    const cmd = addFilterOptions(new Command('x'));
    cmd.parse(['--type', 'send,forward', '--type', 'receive', '--min-amount', '1.5', '--failures'], { from: 'user' });
    const opts: FilterFlags = optionsAs<FilterFlags>()(cmd.opts());
    expect(opts).toEqual({ type: ['send,forward', 'receive'], minAmount: '1.5', failures: true });
  });
});
