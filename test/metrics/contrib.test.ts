/**
 * contrib/: the alert rules pass `promtool check rules` and their unit tests
 * (`promtool test rules`), the scrape example passes `promtool check config`,
 * the systemd unit passes `systemd-analyze verify` and holds the promised
 * hardening, and the Grafana dashboard is an importable dashboard wired to a
 * data source variable and a node variable. (Every dashboard query runs
 * against a real Prometheus in prometheus.test.ts.)
 */
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { METRICS } from '../../src/metrics/names.js';
import { BIN, ROOT } from '../e2e/run-cli.js';
import { describeIf, freePort, PROMTOOL_MISSING, promtool } from '../helpers/prometheus.js';

const PROM_DIR = path.join(ROOT, 'contrib', 'prometheus');
const RULES = path.join(PROM_DIR, 'htlc-tail.rules.yml');
const UNIT = path.join(ROOT, 'contrib', 'systemd', 'htlc-tail-record.service');
const DASHBOARD = path.join(ROOT, 'contrib', 'grafana', 'htlc-tail.json');
const SPEC_NAMES = new Set(Object.values(METRICS).map((m) => m.name));

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'htlc-tail-contrib-'));
}

describeIf(PROMTOOL_MISSING, 'Prometheus rules and scrape config', () => {
  test('promtool check rules', () => {
    const r = promtool(['check', 'rules', RULES]);
    expect({ code: r.code, out: r.stdout + r.stderr }).toMatchObject({
      code: 0,
      out: expect.stringContaining('SUCCESS: 6 rules found'),
    });
    expect(r.stdout + r.stderr).not.toMatch(/FAILED|lint|warning/i);
  });

  test('promtool test rules (the rules unit tests)', () => {
    const r = spawnSync('promtool', ['test', 'rules', 'htlc-tail.rules.test.yml'], { cwd: PROM_DIR, encoding: 'utf8' });
    expect({ code: r.status, out: r.stdout + r.stderr }).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^Unit Testing: +htlc-tail\.rules\.test\.yml\n +SUCCESS\n/),
    });
  });

  test('a broken rule fails its unit tests (the tests can fail)', () => {
    const dir = tmpDir();
    try {
      const rules = fs
        .readFileSync(RULES, 'utf8')
        .replace('htlc_tail_stream_up == 0\n        for: 5m', 'htlc_tail_stream_up == 0\n        for: 15m');
      fs.writeFileSync(path.join(dir, 'htlc-tail.rules.yml'), rules);
      fs.copyFileSync(path.join(PROM_DIR, 'htlc-tail.rules.test.yml'), path.join(dir, 'htlc-tail.rules.test.yml'));
      const r = spawnSync('promtool', ['test', 'rules', 'htlc-tail.rules.test.yml'], { cwd: dir, encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stdout + r.stderr).toContain('alertname: HtlcTailStreamDown');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the rules use SPEC metric names only (and up)', () => {
    const names = fs.readFileSync(RULES, 'utf8').match(/htlc_tail_[a-z_]+/g) ?? [];
    expect(names.length).toBeGreaterThan(8);
    for (const n of names) expect({ n, spec: SPEC_NAMES.has(n) }).toEqual({ n, spec: true });
  });

  test('promtool check config: the scrape example (with its rules file)', () => {
    const dir = tmpDir();
    try {
      const cfg = fs
        .readFileSync(path.join(PROM_DIR, 'scrape.yml'), 'utf8')
        .replace('/etc/prometheus/rules/htlc-tail.rules.yml', RULES);
      fs.writeFileSync(path.join(dir, 'prometheus.yml'), cfg);
      const r = promtool(['check', 'config', path.join(dir, 'prometheus.yml')]);
      expect({ code: r.code, out: r.stdout + r.stderr }).toMatchObject({ code: 0 });
      expect(r.stdout).toContain('SUCCESS: 6 rules found');
      expect(cfg).toContain("targets: ['127.0.0.1:9464']");
      expect(cfg).toContain('job_name: htlc-tail');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The unit's settings, `key → values` (repeated keys kept in order). */
function unitSettings(text: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const kv = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (kv) m.set(kv[1]!, [...(m.get(kv[1]!) ?? []), kv[2]!]);
  }
  return m;
}

const SYSTEMD_MISSING =
  spawnSync('systemd-analyze', ['--version'], { stdio: 'ignore' }).error === undefined
    ? undefined
    : 'systemd-analyze is not installed (Debian: apt-get install -y systemd); skipping';

describe('systemd unit', () => {
  const text = fs.readFileSync(UNIT, 'utf8');
  const s = unitSettings(text);

  test.each([
    ['ExecStart', '/usr/local/bin/htlc-tail record --lnddir /var/lib/lnd --metrics-listen 127.0.0.1:9464'],
    ['DynamicUser', 'yes'],
    ['Restart', 'always'],
    ['NoNewPrivileges', 'yes'],
    ['ProtectSystem', 'strict'],
    ['ProtectHome', 'yes'],
    ['PrivateTmp', 'yes'],
    ['StateDirectory', 'htlc-tail'],
    ['Environment', 'HTLC_TAIL_DB=%S/htlc-tail/history.sqlite'],
    ['ReadOnlyPaths', '-/var/lib/lnd'],
    ['CapabilityBoundingSet', ''],
    ['RestrictAddressFamilies', 'AF_INET AF_INET6 AF_UNIX'],
    ['SystemCallFilter', '@system-service'],
    ['WantedBy', 'multi-user.target'],
  ])('%s=%s', (key, value) => {
    expect(s.get(key)).toEqual([value]);
  });

  /**
   * ExecStart's command line, as the built CLI parses it: every option accepted
   * (not exit 2). Its lnd directory is an empty one here and its port a free one,
   * so the run ends with a configuration error (no macaroon or cert: exit 3) or waits for
   * lnd (then it is stopped): either way the options parsed.
   */
  const execStart = (extra: { lnddir: string; port: number; state: string }) => {
    const [, command, ...args] = s.get('ExecStart')![0]!.split(' ');
    const env = Object.fromEntries(
      s.get('Environment')!.map((e) => e.replaceAll('%S', extra.state).split('=', 2) as [string, string]),
    );
    const fixed = args.map((a, i) =>
      args[i - 1] === '--lnddir' ? extra.lnddir : args[i - 1] === '--metrics-listen' ? `127.0.0.1:${extra.port}` : a,
    );
    return { command: command!, args: fixed, env };
  };
  const hasRecord = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' }).stdout.includes('\n  record');

  test.each([
    ['as written (record)', false],
    ['its options on the tail (the same node and metrics options)', true],
  ])(
    'ExecStart parses: %s',
    async (_name, onTail) => {
      const dir = tmpDir();
      try {
        const { command, args, env } = execStart({ lnddir: path.join(dir, 'lnd'), port: await freePort(), state: dir });
        fs.mkdirSync(path.join(dir, 'htlc-tail')); // systemd's StateDirectory
        expect(command).toBe('record');
        if (!onTail && !hasRecord) {
          process.stderr.write(
            'ExecStart parses as written: this build has no record command yet (issue 13); skipping\n',
          );
          return;
        }
        const argv = onTail ? args : [command, ...args];
        const r = spawnSync(process.execPath, [BIN, ...argv], {
          encoding: 'utf8',
          timeout: 15_000,
          killSignal: 'SIGTERM',
          env: { ...process.env, ...env, HOME: dir },
        });
        expect(r.status).not.toBe(2);
        expect(r.stderr).not.toMatch(/unknown (option|command)|--metrics-listen/);
        // Exit 3 naming what is missing in the empty lnd directory (or still waiting for lnd: killed).
        if (r.status !== null)
          expect({ code: r.status, stderr: r.stderr }).toMatchObject({
            code: 3,
            stderr: expect.stringContaining(path.join(dir, 'lnd')),
          });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    30_000,
  );

  test('MemoryDenyWriteExecute is not set (Node needs its JIT)', () => {
    expect(s.has('MemoryDenyWriteExecute')).toBe(false);
  });

  (SYSTEMD_MISSING ? test.skip : test)(
    `systemd-analyze verify has nothing to say${SYSTEMD_MISSING ? ` (${SYSTEMD_MISSING})` : ''}`,
    () => {
      const dir = tmpDir();
      try {
        // verify checks that ExecStart's program exists: point it at one that does.
        fs.writeFileSync(
          path.join(dir, 'htlc-tail-record.service'),
          text.replace('/usr/local/bin/htlc-tail', process.execPath),
        );
        const r = spawnSync('systemd-analyze', ['verify', path.join(dir, 'htlc-tail-record.service')], {
          encoding: 'utf8',
        });
        expect({ code: r.status, out: r.stdout + r.stderr }).toEqual({ code: 0, out: '' });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: Array<{ refId: string; expr: string; datasource?: { type: string; uid: string } }>;
}

describe('Grafana dashboard', () => {
  const dash = JSON.parse(fs.readFileSync(DASHBOARD, 'utf8')) as {
    schemaVersion: number;
    uid: string;
    title: string;
    panels: Panel[];
    templating: {
      list: Array<{
        name: string;
        type: string;
        query: unknown;
        definition?: string;
        datasource?: unknown;
        includeAll?: boolean;
        multi?: boolean;
      }>;
    };
  };
  const panels = dash.panels.filter((p) => p.type !== 'row');

  test('a current Grafana schema, a uid and a title', () => {
    expect(dash.schemaVersion).toBeGreaterThanOrEqual(39);
    expect(dash.uid).toBe('htlc-tail');
    expect(dash.title).toContain('htlc-tail');
  });

  test('a Prometheus data source variable and a node variable from htlc_tail_stream_up', () => {
    const ds = dash.templating.list.find((v) => v.name === 'DS_PROMETHEUS');
    expect(ds).toMatchObject({ type: 'datasource', query: 'prometheus' });
    const node = dash.templating.list.find((v) => v.name === 'node');
    expect(node).toMatchObject({
      type: 'query',
      definition: 'label_values(htlc_tail_stream_up, node)',
      datasource: { type: 'prometheus', uid: '${DS_PROMETHEUS}' },
      includeAll: true,
      multi: true,
    });
  });

  test('every panel and query uses the data source variable and the node variable', () => {
    expect(panels.length).toBeGreaterThan(15);
    for (const p of panels) {
      expect({ panel: p.title, ds: p.datasource }).toEqual({
        panel: p.title,
        ds: { type: 'prometheus', uid: '${DS_PROMETHEUS}' },
      });
      expect(p.targets!.length).toBeGreaterThan(0);
      for (const t of p.targets!) {
        expect(t.datasource).toEqual({ type: 'prometheus', uid: '${DS_PROMETHEUS}' });
        for (const sel of t.expr.match(/htlc_tail_[a-z_]+\{[^}]*\}/g) ?? [])
          expect({ panel: p.title, sel, node: sel.includes('node=~"$node"') }).toEqual({
            panel: p.title,
            sel,
            node: true,
          });
      }
    }
  });

  test('the panels the issue asks for', () => {
    const all = panels.map((p) => `${p.title} :: ${p.targets!.map((t) => t.expr).join(' ;; ')}`);
    const has = (title: RegExp, expr: RegExp) =>
      expect({ title: String(title), found: all.some((a) => title.test(a.split(' :: ')[0]!) && expr.test(a)) }).toEqual(
        { title: String(title), found: true },
      );
    has(/^Events per minute$/, /rate\(htlc_tail_events_total/);
    has(/^Forwards per minute by outcome$/, /sum by \(node, outcome\) \(rate\(htlc_tail_forwards_total/);
    has(/^Success rate$/, /outcome="settled"/);
    has(
      /^Fees earned per channel/,
      /htlc_tail_fees_earned_msat_total[\s\S]*group_left \(peer_alias\)[\s\S]*label_replace\(htlc_tail_channel_info/,
    );
    has(/^Fees missed per channel/, /htlc_tail_fees_missed_msat_total[\s\S]*group_left \(peer_alias\)/);
    has(/^Top link-failure reasons$/, /sum by \(wire_failure, failure_detail\)/);
    has(/^No liquidity per channel$/, /failure_detail="INSUFFICIENT_BALANCE"/);
    has(/^Settle time/, /histogram_quantile\(0\.9, sum by \(node, le\) \(rate\(htlc_tail_settle_seconds_bucket/);
    has(/^HTLCs in flight$/, /htlc_tail_in_flight/);
    has(/^Stream up and gaps$/, /htlc_tail_stream_up[\s\S]*htlc_tail_gaps_total/);
  });

  test('unique panel ids, refIds unique per panel, panels inside the 24-column grid', () => {
    const ids = dash.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of panels) {
      const refs = p.targets!.map((t) => t.refId);
      expect(new Set(refs).size).toBe(refs.length);
      expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
    }
  });
});
