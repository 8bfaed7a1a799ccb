/**
 * `npm run week` for the e2e tests: the built week generator
 * (dist/history/week-main.js) fills a store through the real correlation and
 * writer.
 */
import { spawn } from 'node:child_process';
import { cleanEnv, ROOT, type CliResult } from './run-cli.js';

export const WEEK_BIN = `${ROOT}dist/history/week-main.js`;

export function runWeek(args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WEEK_BIN, ...args], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
