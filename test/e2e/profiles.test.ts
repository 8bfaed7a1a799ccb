/**
 * lncli profiles end to end: the built CLI with `--profiles-file F -p NAME`
 * against the simulated node, with a profiles file written the way lncli
 * writes it (test/fixtures/make-profiles.ts): a plain-hex macaroon, an
 * encrypted one (password from HTLC_TAIL_MACAROON_PASSWORD, or typed at a
 * terminal prompt), and every refusal as one line with exit 3. Neither the
 * password nor the macaroon ever appears in the output.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSimNode, type SimNodeHandle } from '@htlc-tail/lnd-sim';
import { FIXTURE_PASSWORD, simProfiles, writeProfiles } from '../fixtures/make-profiles.js';
import { BIN, cleanEnv, jsonLines } from './run-cli.js';
import { cli, expectExit, expectNoSecrets, macaroonSecrets, oneErrorLine } from './sim-fixture.js';

let node: SimNodeHandle;
let tmp: string;
let file: string;
let secrets: string[];
const HOME = { HOME: '/nonexistent-home' };

beforeAll(async () => {
  node = await startSimNode({ scenario: { steps: [{ generate: 3 }], then: 'hold' }, seed: 15 });
  tmp = mkdtempSync(path.join(os.tmpdir(), 'htlc-tail-profiles-'));
  file = writeProfiles(path.join(tmp, 'profiles.json'), simProfiles(node, path.join(tmp, 'lnd')));
  secrets = [
    ...macaroonSecrets(Object.values(node.macaroons)),
    FIXTURE_PASSWORD,
    Buffer.from(FIXTURE_PASSWORD).toString('hex'),
  ];
});
afterAll(async () => {
  await node.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const tail = ['-f', 'jsonl', '--count', '3', '--no-aliases'];

describe('lncli profiles', () => {
  test('-p with a plain-hex macaroon: events', async () => {
    const r = await cli(['--profiles-file', file, '-p', 'plain', ...tail], { env: HOME });
    expectExit(r, 0);
    expect(r.stderr).toBe('');
    expect(jsonLines(r.stdout)).toHaveLength(3);
    expectNoSecrets(r, secrets);
  });

  test('-p with an encrypted macaroon and HTLC_TAIL_MACAROON_PASSWORD: events', async () => {
    const r = await cli(['--profiles-file', file, '-p', 'encrypted', ...tail], {
      env: { ...HOME, HTLC_TAIL_MACAROON_PASSWORD: FIXTURE_PASSWORD },
    });
    expectExit(r, 0);
    expect(jsonLines(r.stdout)).toHaveLength(3);
    expectNoSecrets(r, secrets);
  });

  test('the default profile of the file, and LNCLI_PROFILE / LNCLI_PROFILES', async () => {
    const byDefault = await cli(['--profiles-file', file, ...tail], { env: HOME });
    expectExit(byDefault, 0);
    expect(jsonLines(byDefault.stdout)).toHaveLength(3);
    const byEnv = await cli(tail, {
      env: { ...HOME, LNCLI_PROFILES: file, LNCLI_PROFILE: 'encrypted', HTLC_TAIL_MACAROON_PASSWORD: FIXTURE_PASSWORD },
    });
    expectExit(byEnv, 0);
    expect(jsonLines(byEnv.stdout)).toHaveLength(3);
  });

  test('a wrong password: exit 3 saying so, without the password', async () => {
    const r = await cli(['--profiles-file', file, '-p', 'encrypted', ...tail], {
      env: { ...HOME, HTLC_TAIL_MACAROON_PASSWORD: 'Tr0ub4dor&3' },
    });
    expectExit(r, 3);
    expect(oneErrorLine(r)).toBe(
      `htlc-tail: wrong macaroon password for profile "encrypted" (${file}); give the password used at lncli profile add (prompt or HTLC_TAIL_MACAROON_PASSWORD)`,
    );
    expect(r.stdout + r.stderr).not.toContain('Tr0ub4dor');
    expectNoSecrets(r, secrets);
  });

  test('no password and no terminal: exit 3 telling to set HTLC_TAIL_MACAROON_PASSWORD', async () => {
    const r = await cli(['--profiles-file', file, '-p', 'encrypted', ...tail], { env: HOME });
    expectExit(r, 3);
    expect(oneErrorLine(r)).toMatch(
      /profile "encrypted" holds an encrypted macaroon and there is no terminal to ask for its password; set HTLC_TAIL_MACAROON_PASSWORD/,
    );
  });

  test.each([
    ['insecure', /is "insecure" \(no TLS\)/],
    ['nomac', /has "no-macaroons"/],
    ['badjar', /the jar's default macaroon "admin" is not in the jar \(it holds "readonly\.macaroon"\)/],
    ['plian', /profile "plain" \(--profile\)|profile "plian" \(--profile\) not found in .*; did you mean "plain"\?/],
  ])('-p %s: exit 3, one line naming the profile and the file', async (name, re) => {
    const r = await cli(['--profiles-file', file, '-p', name, ...tail], { env: HOME });
    expectExit(r, 3);
    const line = oneErrorLine(r);
    expect(line).toMatch(re);
    expect(line).toContain(file);
    expectNoSecrets(r, secrets);
  });

  test('a missing profiles file: exit 3 naming it', async () => {
    const missing = path.join(tmp, 'nope.json');
    const r = await cli(['--profiles-file', missing, '-p', 'plain', ...tail], { env: HOME });
    expectExit(r, 3);
    expect(oneErrorLine(r)).toMatch(
      new RegExp(`profiles file ${missing.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} not found`),
    );
  });

  test('--profile all: every profile of the file, each line with its node', async () => {
    const two = writeProfiles(path.join(tmp, 'two.json'), {
      profiles: simProfiles(node, tmp).profiles.filter((p) => p.name === 'plain' || p.name === 'admin'),
    });
    const r = await cli(['--profiles-file', two, '-p', 'all', '-f', 'jsonl', '--count', '6', '--no-aliases'], {
      env: HOME,
    });
    expectExit(r, 0);
    const lines = jsonLines(r.stdout);
    expect(lines.map((l) => l.node).sort()).toEqual(['admin', 'admin', 'admin', 'plain', 'plain', 'plain']);
  });
});

/** `script` (util-linux) gives the CLI a terminal, as a user at a shell has. */
const hasScript = process.platform === 'linux' && spawnSync('script', ['--version']).status === 0;

describe('the password prompt at a terminal', () => {
  (hasScript ? test : test.skip)(
    'asks once on the terminal, echoes nothing, then tails',
    async () => {
      const cmd = [process.execPath, BIN, '--profiles-file', file, '-p', 'encrypted', ...tail]
        .map((a) => `'${a.replace(/'/g, "'\\''")}'`)
        .join(' ');
      const child = spawn('script', ['-qefc', cmd, '/dev/null'], {
        env: cleanEnv(HOME),
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let out = '';
      let typed = false;
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (c: string) => {
        out += c;
        if (!typed && out.includes('password for the encrypted macaroon of profile "encrypted": ')) {
          typed = true;
          child.stdin.write(`${FIXTURE_PASSWORD}\r`);
        }
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
      clearTimeout(timer);
      expect(typed).toBe(true);
      expect(code).toBe(0);
      expect(out.match(/password for the encrypted macaroon/g)).toHaveLength(1);
      expect(out).not.toContain(FIXTURE_PASSWORD);
      expect(out).not.toContain('correct horse');
      const events = out.split(/\r?\n/).filter((l) => l.startsWith('{"event"'));
      expect(events).toHaveLength(3);
      for (const s of secrets) expect(out).not.toContain(s.slice(0, 40));
    },
    90_000,
  );
});
