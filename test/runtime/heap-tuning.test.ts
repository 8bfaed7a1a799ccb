import { describe, test, expect } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SEMI_SPACE_CAP_MB, userSizedOldGeneration, userSizedYoungGeneration } from '../../src/runtime/heap-tuning.js';

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
    ['execArgv flag among others', ['--enable-source-maps', '--max-semi-space-size=2', '--no-warnings'], undefined, true],
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
    ['execArgv --initial-old-space-size 20 (value as the next word)', ['--initial-old-space-size', '20'], undefined, true],
    ['a young-generation flag is not one', ['--max-semi-space-size=4'], undefined, false],
    ['a longer flag name is not one', ['--max-old-space-size-x=1'], undefined, false],
    ['blank NODE_OPTIONS', [], '   ', false],
  ])('%s', (_name, execArgv, nodeOptions, want) => {
    expect(userSizedOldGeneration(execArgv, nodeOptions)).toBe(want);
  });
});

// ---------------------------------------------------------------------------
// tuneHeap changes V8 flags: never call it in the jest process. A child
// node imports the built module, calls it, allocates, and reports the largest
// new-space size it saw.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUILT = `${ROOT}dist/runtime/heap-tuning.js`;

/**
 * A rolling window of 2000 small objects over 3M iterations: uncapped, V8 grows
 * the new space to its maximum (2 × 16 MB) by about 0.7M iterations. The loop
 * yields every 5000 iterations so the gc PerformanceObserver callback can run.
 */
const SCRIPT = `
import v8 from 'node:v8';
const { tuneHeap } = await import(${JSON.stringify(pathToFileURL(BUILT).href)});
tuneHeap();
const newSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
const keep = new Array(2000);
let max = newSpace();
for (let i = 0; i < 3000000; i++) {
  keep[i % 2000] = { i, s: 'x' + i, a: [i, i + 1] };
  if (i % 5000 === 0) {
    await new Promise((r) => setImmediate(r));
    max = Math.max(max, newSpace());
  }
}
max = Math.max(max, newSpace());
process.stdout.write(JSON.stringify({ max, kept: keep.length }) + '\\n');
`;

function maxNewSpace(nodeArgs: readonly string[], env: Record<string, string>): Promise<number> {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && k !== 'NODE_OPTIONS' && !k.startsWith('HTLC_TAIL_')) clean[k] = v;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, '--input-type=module', '-e', SCRIPT], {
      env: { ...clean, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`child exited ${code}: ${err.trim()}`));
      try {
        resolve((JSON.parse(out) as { max: number }).max);
      } catch {
        reject(new Error(`unexpected child output: ${out} ${err}`));
      }
    });
  });
}

describe('tuneHeap in a child node (built dist/): the young generation', () => {
  const MB = 1024 * 1024;
  const capped = 2 * SEMI_SPACE_CAP_MB * MB + MB;

  test('dist/runtime/heap-tuning.js is built (run npx tsc -p tsconfig.json first)', () => {
    expect(existsSync(BUILT)).toBe(true);
  });

  test.each<[string, readonly string[], Record<string, string>, 'capped' | 'grows']>([
    ['default: new space stays within 2 × the cap', [], {}, 'capped'],
    ['HTLC_TAIL_NO_HEAP_TUNING=1: V8 grows it past the cap', [], { HTLC_TAIL_NO_HEAP_TUNING: '1' }, 'grows'],
    ['--max-semi-space-size=16 on the command line wins', ['--max-semi-space-size=16'], {}, 'grows'],
    ['--max_semi_space_size=16 in NODE_OPTIONS wins', [], { NODE_OPTIONS: '--max_semi_space_size=16' }, 'grows'],
  ])(
    '%s',
    async (_name, nodeArgs, env, want) => {
      const max = await maxNewSpace(nodeArgs, env);
      if (want === 'capped') {
        expect(max).toBeLessThanOrEqual(capped);
        // It did reach the cap: the allocation is enough to make V8 grow.
        expect(max).toBeGreaterThanOrEqual(2 * SEMI_SPACE_CAP_MB * MB);
      } else expect(max).toBeGreaterThan(capped);
    },
    60_000,
  );
});
