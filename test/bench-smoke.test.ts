/**
 * The bench script still runs: `node bench/run.js` in its tiny mode
 * (BENCH_SMOKE=1: 2,000 events, one run, small replay, RSS and latency runs)
 * against the built CLI and the simulated node, and prints (and writes) the
 * table with every section and every client. No figure is checked: speed
 * belongs in the bench itself, not in the test suite.
 */
import { describe, test, expect, beforeAll, afterAll } from '@jest/globals';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, cleanEnv } from './e2e/run-cli.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runBench(outDir: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bench', 'run.js')], {
      cwd: ROOT,
      env: cleanEnv({ BENCH_SMOKE: '1', BENCH_OUT: outDir }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run bench (BENCH_SMOKE=1)', () => {
  let outDir: string;
  let run: Run;

  beforeAll(async () => {
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'htlc-tail-bench-smoke-'));
    run = await runBench(outDir);
  }, 300_000);

  afterAll(() => {
    fs.rmSync(outDir, { recursive: true, force: true });
  });

  test('exits 0 and prints the table', () => {
    // stderr carries the progress lines; shown when the run failed.
    expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toContain('## htlc-tail benchmark');
  });

  test.each([
    ['### Throughput'],
    ['### Replay'],
    ['### Start-up'],
    ['### Peak RSS'],
    ['### Latency'],
    ['### Several nodes'],
    ['### Recording'],
    ['### Targets'],
  ])('section %s', (heading) => {
    expect(run.stdout).toContain(heading);
  });

  test.each([
    ['baseline: grpc-js + proto-loader, console.log(response)', '/dev/null'],
    ['baseline: grpc-js + proto-loader, console.log(response)', 'pipe'],
    ['null sink: the same client, decode and count only', '(none)'],
    ['raw limit: grpc-js, bytes undecoded, count only', '(none)'],
    ['htlc-tail -f jsonl', '/dev/null'],
    ['htlc-tail -f jsonl', 'pipe'],
    ['htlc-tail -f raw', '/dev/null'],
    ['htlc-tail -f raw', 'pipe'],
    ['htlc-tail -f pretty', '/dev/null'],
    ['htlc-tail -f pretty', 'pipe'],
    ['htlc-tail -f table', '/dev/null'],
    ['htlc-tail -f table', 'pipe'],
  ])('throughput row: %s → %s, every run succeeded', (label, sink) => {
    expect(run.stdout).toContain(`| ${label} | ${sink} |`);
    const json = JSON.parse(fs.readFileSync(path.join(outDir, 'latest.json'), 'utf8')) as {
      throughput: { rows: Array<{ label: string; sink: string; errors: string[]; runs: number[] }> };
    };
    const row = json.throughput.rows.find((r) => r.label === label && r.sink === sink);
    expect(row?.errors).toEqual([]);
    expect(row?.runs).toHaveLength(1);
  });

  test('latency rows for the baseline and htlc-tail', () => {
    expect(run.stdout).toMatch(
      /\| baseline: grpc-js \+ proto-loader, console\.log\(response\) \| [\d,]+ \| [\d.]+ ms \|/,
    );
    expect(run.stdout).toMatch(/\| htlc-tail -f jsonl \| [\d,]+ \| [\d.]+ ms \|/);
  });

  test('several-nodes rows for 1 and 3 nodes (events of every node arrived)', () => {
    expect(run.stdout).toMatch(/^\| 1 \| -?[\d.]+ ms \| -?[\d.]+ ms \|/m);
    expect(run.stdout).toMatch(/^\| 3 \| -?[\d.]+ ms \| -?[\d.]+ ms \|/m);
  });

  test('record (bench/history-write.js): a figure for record and its baseline, no failed run', () => {
    expect(run.stdout).toMatch(
      /\| htlc-tail -f jsonl > \/dev\/null \(baseline\) \| [\d,]+ \| 1\.00× \| ([\d,]+|n\/a) \| (1\.00×|n\/a) \| ([\d.]+ MB|n\/a \(no GNU time\)) \|/,
    );
    expect(run.stdout).toMatch(
      /\| htlc-tail -f jsonl --no-aliases > \/dev\/null \| [\d,]+ \| [\d.]+× \| ([\d,]+|n\/a) \| ([\d.]+×|n\/a) \| ([\d.]+ MB|n\/a \(no GNU time\)) \|/,
    );
    expect(run.stdout).toMatch(
      /\| htlc-tail record --db FILE \| [\d,]+ \| [\d.]+× \| ([\d,]+|n\/a) \| ([\d.]+×|n\/a) \| ([\d.]+ MB|n\/a \(no GNU time\)) \|/,
    );
    expect(run.stdout).toMatch(/Against the tail with --no-aliases .*: record [\d.]+× of its events\/s/);
  });

  test('the same table is written to latest.md in BENCH_OUT', () => {
    expect(fs.readFileSync(path.join(outDir, 'latest.md'), 'utf8')).toBe(run.stdout);
  });
});
