/**
 * `htlc-tail report`'s command line (Commander only; validation happens in
 * config/report-config.ts).
 */
import { Option, type Command, type OptionValues } from './commander.js';
import { REPORT_BY, REPORT_FORMATS } from '../report/columns.js';

const LEGEND = `
Rows (SPEC "Report"): one per channel (default), peer, failure reason, day or hour (UTC).
A forward is one HTLC routed through the node, counted once by its outcome: settled,
failed here (a link_fail: this node refused it) or failed downstream (a forward_fail).

Table columns (jsonl, csv and markdown have every key, amounts in msat):
  in / out     forwards that arrived on / left or tried to leave on the channel
  settled      outgoing forwards that settled
  here / down  outgoing forwards that failed here / failed downstream
  earned sat   fees of settled forwards leaving on the channel
  missed sat   fees offered by forwards that failed here on the channel
  no-liq       link failures for insufficient outgoing balance: demand you could
               have served with more outbound liquidity on that channel
  p50          median settle time of settled forwards leaving on the channel

TIME: RFC 3339 (2026-12-01T10:00:00Z), a date (2026-12-01, local midnight) or an age (90s, 15m, 2h, 7d).

Examples:
  htlc-tail report                             per channel, all recorded history
  htlc-tail report --since 7d --by peer        last week, per peer
  htlc-tail report --by reason -f markdown     failure reasons as a markdown table
  htlc-tail report --by day -f csv > days.csv  daily totals for a spreadsheet
  htlc-tail -f jsonl > cap.jsonl; htlc-tail report cap.jsonl   the same from a capture`;

/** The report command, without its action (main.ts adds it). */
export function addReportCommand<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  program: Command<A, O, G>,
) {
  return program
    .command('report')
    .description(
      'routing report from the history database (or a capture): per channel, peer, failure reason, day or hour',
    )
    .argument('[file]', 'a capture to report on instead (any format replay reads; - for standard input)')
    .option('--db <file>', 'history database (env HTLC_TAIL_DB; default: $XDG_DATA_HOME/htlc-tail/history.sqlite)')
    .option('--node <node>', 'only this node of the database: its pubkey, alias or profile name')
    .option('--since <time>', 'only forwards first seen at or after TIME')
    .option('--until <time>', 'only forwards first seen before TIME')
    .addOption(new Option('--by <key>', 'one row per').choices(REPORT_BY).default('channel'))
    .addOption(new Option('-f, --format <format>', 'output format').choices(REPORT_FORMATS).default('table'))
    .option('--debug', 'show stack traces of internal errors')
    .addHelpText('after', LEGEND);
}
