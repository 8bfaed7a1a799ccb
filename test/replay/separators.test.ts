/**
 * Issue 10's nit, pinned for replay: a capture may hold a raw U+2028, U+2029
 * or U+0085 inside a JSON string (JSON allows them unescaped). Whichever
 * reader takes the line (the fast path for canonical raw and REST lines, the
 * general path, the jsonl reader) and whichever writer prints it (-f raw,
 * -f jsonl), the output has them escaped (\u2028 …), so a line-oriented
 * reader never splits a record. The built CLI, like a user runs it.
 */
import { describe, expect, test } from '@jest/globals';
import { runCli } from '../e2e/run-cli.js';

const TEXT = 'fee\u2028too\u2029low\u0085here';
const C1 = '930524387182051330';
const C2 = '884590090012131330';
const TS = '1714979289123456789';

/** Exactly as -f raw writes it (the fast path reads it), with the separators raw. */
const RAW = `{"incoming_channel_id":"${C2}","outgoing_channel_id":"${C1}","incoming_htlc_id":"9","outgoing_htlc_id":"0","timestamp_ns":"${TS}","event_type":"FORWARD","link_fail_event":{"info":null,"wire_failure":"TEMPORARY_CHANNEL_FAILURE","failure_detail":"INSUFFICIENT_BALANCE","failure_string":"${TEXT}"}}`;
const LINES = [
  RAW, // the fast path, raw
  `{"result":${RAW}}`, // the fast path, an lnd REST line
  RAW.replace('{"incoming_channel_id"', '{ "incoming_channel_id"'), // the general path
  `{"event":"link_fail","event_type":"FORWARD","timestamp_ns":"${TS}","incoming_channel_id":"${C2}","incoming_alias":"${TEXT}","incoming_htlc_id":"9","outgoing_channel_id":"${C1}","outgoing_htlc_id":"0","wire_failure":"TEMPORARY_CHANNEL_FAILURE","failure_detail":"INSUFFICIENT_BALANCE","failure_string":"${TEXT}"}`, // jsonl
  `{"event":"gap","from":"2024-05-06T07:08:09.200Z","to":"2024-05-06T07:08:19.456Z","reason":"${TEXT}"}`,
];
const SEPARATORS = /[\u2028\u2029\u0085]/;

describe('replay writes U+2028, U+2029 and U+0085 escaped', () => {
  test.each(['raw', 'jsonl'])('-f %s', async (format) => {
    expect(LINES.join('\n')).toMatch(SEPARATORS); // the capture holds them raw
    const r = await runCli(['replay', '-', '-f', format, '--no-stats'], { input: LINES.join('\n') + '\n' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(SEPARATORS);
    expect(r.stdout).toContain('fee\\u2028too\\u2029low\\u0085here');
    // One record per line for any line splitter; every text as it was.
    const records = r.stdout.split(/\r\n|[\n\r\u2028\u2029\u0085]/).filter((l) => l !== '');
    expect(records).toHaveLength(LINES.length);
    const texts = records
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .map(
        (v) =>
          v['reason'] ??
          (v['link_fail_event'] as Record<string, unknown> | undefined)?.['failure_string'] ??
          v['failure_string'],
      );
    expect(texts).toEqual(Array(LINES.length).fill(TEXT));
    if (format === 'jsonl') expect(JSON.parse(records[3]!).incoming_alias).toBe(TEXT);
  });
});
