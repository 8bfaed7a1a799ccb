/** The heap-sizing decision (runtime/heap-tuning.ts): which commands get which node flags; the user's own flags win. */
import { describe, test, expect } from '@jest/globals';
import {
  HEAP_TUNED_COMMANDS,
  heapFlagsFor,
  OLD_GENERATION_FLAG,
  OLD_GROWING_PERCENT,
  SEMI_SPACE_CAP_MB,
  userSizedOldGeneration,
  userSizedYoungGeneration,
  YOUNG_GENERATION_FLAG,
} from '../../src/runtime/heap-tuning.js';

describe('userSizedYoungGeneration(execArgv, NODE_OPTIONS)', () => {
  test.each<[string, readonly string[], string | undefined, boolean]>([
    ['nothing', [], undefined, false],
    ['empty NODE_OPTIONS', [], '', false],
    ['blank NODE_OPTIONS', [], '   ', false],
    ['execArgv --max-semi-space-size=4', ['--max-semi-space-size=4'], undefined, true],
    ['execArgv --max-semi-space-size (value apart)', ['--max-semi-space-size', '4'], undefined, true],
    ['execArgv --max_semi_space_size=4', ['--max_semi_space_size=4'], undefined, true],
    ['execArgv --min-semi-space-size=1', ['--min-semi-space-size=1'], undefined, true],
    ['execArgv --semi-space-growth-factor=1', ['--semi-space-growth-factor=1'], undefined, true],
    ['execArgv --max-young-generation-size=8', ['--max-young-generation-size=8'], undefined, true],
    ['execArgv --max_young_generation_size=8', ['--max_young_generation_size=8'], undefined, true],
    [
      'execArgv flag among others',
      ['--enable-source-maps', '--max-semi-space-size=2', '--no-warnings'],
      undefined,
      true,
    ],
    ['NODE_OPTIONS --max-semi-space-size=4', [], '--max-semi-space-size=4', true],
    ['NODE_OPTIONS --max_semi_space_size=4', [], '--max_semi_space_size=4', true],
    ['NODE_OPTIONS --min_semi_space_size=1', [], '--min_semi_space_size=1', true],
    ['NODE_OPTIONS --semi_space_growth_factor=1', [], '--semi_space_growth_factor=1', true],
    ['NODE_OPTIONS among others', [], '--enable-source-maps  --max-semi-space-size=8 --no-warnings', true],
    ['NODE_OPTIONS with surrounding spaces', [], '  --max-semi-space-size=8  ', true],
    ['NODE_OPTIONS with a tab', [], '--no-warnings\t--max-semi-space-size=8', true],
    ['NODE_OPTIONS value apart', [], '--max-semi-space-size 8', true],
    ['unrelated execArgv --max-old-space-size=100', ['--max-old-space-size=100'], undefined, false],
    ['unrelated NODE_OPTIONS --max-old-space-size=100', [], '--max-old-space-size=100', false],
    ['unrelated NODE_OPTIONS --max_old_space_size=100', [], '--max_old_space_size=100', false],
    ['unrelated execArgv --experimental-vm-modules', ['--experimental-vm-modules'], '--enable-source-maps', false],
    ['a longer flag name is not the flag', ['--max-semi-space-sizes=4'], '--semi-space-growth-factors=1', false],
    ['not at the start of an argument', ['x--max-semi-space-size=4'], 'x--max-semi-space-size=4', false],
    ['a value that names the flag is not the flag', ['--title=--max-semi-space-size=4'], undefined, false],
  ])('%s', (_name, execArgv, nodeOptions, want) => {
    expect(userSizedYoungGeneration(execArgv, nodeOptions)).toBe(want);
  });
});

describe('userSizedOldGeneration(execArgv, NODE_OPTIONS)', () => {
  test.each<[string, string[], string | undefined, boolean]>([
    ['nothing', [], undefined, false],
    ['execArgv --heap-growing-percent=20', ['--heap-growing-percent=20'], undefined, true],
    ['NODE_OPTIONS --max-old-space-size=100', [], '--max-old-space-size=100', true],
    ['NODE_OPTIONS --max_old_space_size=100', [], '--max_old_space_size=100', true],
    ['execArgv --max-heap-size=200', ['--max-heap-size=200'], undefined, true],
    [
      'execArgv --initial-old-space-size 20 (value as the next word)',
      ['--initial-old-space-size', '20'],
      undefined,
      true,
    ],
    ['a young-generation flag is not one', ['--max-semi-space-size=4'], undefined, false],
    ['a longer flag name is not one', ['--max-old-space-size-x=1'], undefined, false],
    ['blank NODE_OPTIONS', [], '   ', false],
  ])('%s', (_name, execArgv, nodeOptions, want) => {
    expect(userSizedOldGeneration(execArgv, nodeOptions)).toBe(want);
  });
});

describe('heapFlagsFor(command, execArgv, env): the node flags a run is relaunched with', () => {
  const BOTH = [YOUNG_GENERATION_FLAG, OLD_GENERATION_FLAG];
  test.each<[string, string, readonly string[], Record<string, string>, string[]]>([
    ['tail: both', 'tail', [], {}, BOTH],
    ['demo: both', 'demo', [], {}, BOTH],
    ['replay: both', 'replay', [], {}, BOTH],
    ['check: none (it ends in seconds)', 'check', [], {}, []],
    ['report: none', 'report', [], {}, []],
    ['help: none', 'help', [], {}, []],
    ['HTLC_TAIL_NO_HEAP_TUNING=1: none', 'tail', [], { HTLC_TAIL_NO_HEAP_TUNING: '1' }, []],
    ['HTLC_TAIL_NO_HEAP_TUNING=0 is not 1: both', 'tail', [], { HTLC_TAIL_NO_HEAP_TUNING: '0' }, BOTH],
    ['already started with both (the relaunched child): none', 'tail', BOTH, {}, []],
    [
      'the user sized the young generation: only the old-generation flag',
      'tail',
      ['--max-semi-space-size=16'],
      {},
      [OLD_GENERATION_FLAG],
    ],
    [
      'the user sized it in NODE_OPTIONS: the same',
      'demo',
      [],
      { NODE_OPTIONS: '--max_semi_space_size=2' },
      [OLD_GENERATION_FLAG],
    ],
    [
      'the user set --max-old-space-size: only the young-generation flag',
      'tail',
      ['--max-old-space-size=200'],
      {},
      [YOUNG_GENERATION_FLAG],
    ],
    [
      'the user set --heap-growing-percent: only the young-generation flag',
      'replay',
      ['--heap-growing-percent=50'],
      {},
      [YOUNG_GENERATION_FLAG],
    ],
    [
      'both set by the user: none',
      'tail',
      ['--max-young-generation-size=8'],
      { NODE_OPTIONS: '--max-old-space-size=300' },
      [],
    ],
    ['unrelated node flags: both', 'tail', ['--enable-source-maps'], { NODE_OPTIONS: '--no-warnings' }, BOTH],
  ])('%s', (_name, command, execArgv, env, want) => {
    expect(heapFlagsFor(command, execArgv, env)).toEqual(want);
  });

  test('the flags are the documented ones', () => {
    expect([YOUNG_GENERATION_FLAG, OLD_GENERATION_FLAG]).toEqual([
      `--max-semi-space-size=${SEMI_SPACE_CAP_MB}`,
      `--heap-growing-percent=${OLD_GROWING_PERCENT}`,
    ]);
    expect([SEMI_SPACE_CAP_MB, OLD_GROWING_PERCENT]).toEqual([8, 25]);
  });

  test('HEAP_TUNED_COMMANDS: the long-running commands', () => {
    expect([...HEAP_TUNED_COMMANDS].sort()).toEqual(['demo', 'record', 'replay', 'tail']);
  });
});
