/**
 * The summary printed on stderr (`--stats` at exit, `--stats-interval`): a
 * Summary (events/stats.ts) as aligned, labelled lines. Pure: no I/O, no clock.
 *
 * - Amounts: sat with msat precision, from exact msat (BigInt): `1234.567 sat`,
 *   trailing zeros dropped (`1 sat`, `0.001 sat`); never through a float.
 * - Durations: `412.353 ms` under a second, `12.345 s` under a minute, then
 *   `5m03s`, `2h05m`, `3d04h`.
 * - Channels: the short channel id (`BLOCKxTXxOUT`), plus the peer alias when
 *   known, escaped exactly as pretty escapes it (format/sanitize.ts: control
 *   characters as `\xNN`, bidi and line separators as `\u{…}`; aliases are
 *   untrusted network text); `-` for channel 0 (this node's side of a send or receive).
 * - Colour: optional; any object with the methods of SummaryColorizer (the
 *   formatters' Colorizer in format/types.ts has them all). Identity when absent.
 */
import type { FailureReasonCount, StuckHtlc, Summary } from '../events/stats.js';
import { EVENT_KINDS } from '../events/model.js';
import { eventTypeName, failureCodeName, failureDetailName } from '../events/enums.js';
import { scidFromChannelId } from '../events/scid.js';
import { sanitize } from './sanitize.js';

/** The colour methods the summary uses; a subset of format/types.ts' Colorizer. */
export interface SummaryColorizer {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
}

export interface SummaryContext {
  /** Any subset of the methods; missing ones are identity. */
  readonly colorizer?: Partial<SummaryColorizer>;
  /** A channel's peer alias (e.g. `AliasBook.aliasOf`), when known. */
  readonly aliasOf?: (channelId: string) => string | undefined;
  /** The node summarized, when the run tails several nodes: named in the heading. */
  readonly node?: string;
}

const LABEL_WIDTH = 14;
const identity = (s: string): string => s;

/** `1234.567`, `1`, `0.001`, `-2.5`: msat as sat, exact. */
export function formatMsatAsSat(msat: bigint): string {
  const neg = msat < 0n;
  const abs = neg ? -msat : msat;
  const sat = abs / 1000n;
  const rem = abs % 1000n;
  let s = sat.toString();
  if (rem !== 0n) s += '.' + rem.toString().padStart(3, '0').replace(/0+$/, '');
  return neg ? '-' + s : s;
}

function pad2(n: bigint): string {
  return n.toString().padStart(2, '0');
}

/** A duration in ns for people (see the header). Negative values get a leading `-`. */
export function formatDurationNs(ns: bigint): string {
  if (ns < 0n) return '-' + formatDurationNs(-ns);
  if (ns < 1_000_000_000n) {
    // ms with up to 3 decimals (µs precision), exact
    const us = ns / 1000n;
    const ms = us / 1000n;
    const frac = us % 1000n;
    return frac === 0n ? `${ms} ms` : `${ms}.${frac.toString().padStart(3, '0').replace(/0+$/, '')} ms`;
  }
  if (ns < 60_000_000_000n) {
    const ms = ns / 1_000_000n;
    const sec = ms / 1000n;
    const frac = ms % 1000n;
    return frac === 0n ? `${sec} s` : `${sec}.${frac.toString().padStart(3, '0').replace(/0+$/, '')} s`;
  }
  const totalSec = ns / 1_000_000_000n;
  if (totalSec < 3600n) return `${totalSec / 60n}m${pad2(totalSec % 60n)}s`;
  if (totalSec < 86_400n) return `${totalSec / 3600n}h${pad2((totalSec % 3600n) / 60n)}m`;
  return `${totalSec / 86_400n}d${pad2((totalSec % 86_400n) / 3600n)}h`;
}

function typeName(n: number): string {
  return n === -1 ? 'other' : (eventTypeName(n) ?? String(n));
}

function reasonText(r: FailureReasonCount): string {
  const wire = failureCodeName(r.wireFailure) ?? String(r.wireFailure);
  const detail = failureDetailName(r.failureDetail) ?? String(r.failureDetail);
  return `${wire} / ${detail}`;
}

function channelText(id: string, aliasOf: SummaryContext['aliasOf'], dim: (s: string) => string): string {
  if (id === '0') return '-';
  let scid: string;
  try {
    scid = scidFromChannelId(id);
  } catch {
    scid = sanitize(id);
  }
  const alias = aliasOf?.(id);
  return alias ? `${scid} ${dim('(' + sanitize(alias) + ')')}` : scid;
}

function percent(rate: number): string {
  return `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

/** The summary as lines joined with `\n` (no trailing newline). */
export function formatSummary(summary: Summary, ctx: SummaryContext = {}): string {
  const c = ctx.colorizer ?? {};
  const bold = c.bold ?? identity;
  const dim = c.dim ?? identity;
  const red = c.red ?? identity;
  const green = c.green ?? identity;
  const yellow = c.yellow ?? identity;
  const ch = (id: string): string => channelText(id, ctx.aliasOf, dim);
  const lines: string[] = [];
  const row = (label: string, value: string): void => {
    lines.push(bold(label.padEnd(LABEL_WIDTH)) + value);
  };

  const e = summary.events;
  let head = bold(ctx.node === undefined ? 'htlc-tail summary' : `htlc-tail summary: ${sanitize(ctx.node)}`);
  if (summary.window) {
    const span = BigInt(summary.window.toNs) - BigInt(summary.window.fromNs);
    head += dim(`  (events over ${formatDurationNs(span)}, lnd clock)`);
  }
  lines.push(head);

  const kinds = EVENT_KINDS.filter((k) => e.byKind[k] > 0).map((k) => `${k} ${e.byKind[k]}`);
  const unique = e.total - e.replayed;
  row('Events', `${unique}` + (kinds.length ? dim(`  (${kinds.join(', ')})`) : ''));
  if (e.replayed > 0) row('Replayed', yellow(`${e.replayed}`) + dim('  (not counted anywhere else)'));
  if (e.byType.length) row('By type', e.byType.map((t) => `${typeName(t.eventType)} ${t.count}`).join(', '));

  const f = summary.forwards;
  row(
    'Forwards',
    [
      green(`settled ${f.settled}`),
      (f.failedDownstream ? red : identity)(`failed downstream ${f.failedDownstream}`),
      (f.failedHere ? red : identity)(`failed here ${f.failedHere}`),
      `in flight ${f.inFlight}`,
    ].join(dim(' · ')),
  );
  const resolved = f.settled + f.failedDownstream + f.failedHere;
  row(
    'Success rate',
    f.successRate === undefined
      ? dim('n/a (no forward resolved)')
      : `${percent(f.successRate)}` + dim(`  (${f.settled} of ${resolved})`),
  );
  let fees = green(`${formatMsatAsSat(BigInt(f.feesEarnedMsat))} sat`);
  if (f.settledWithoutAmounts > 0) {
    fees += dim(`  (${f.settledWithoutAmounts} settled forward(s) of unknown amount not included)`);
  }
  row('Fees earned', fees);

  if (summary.settleTime) {
    const s = summary.settleTime;
    row(
      'Settle time',
      [
        `p50 ${formatDurationNs(BigInt(s.p50Ns))}`,
        `p90 ${formatDurationNs(BigInt(s.p90Ns))}`,
        `p99 ${formatDurationNs(BigInt(s.p99Ns))}`,
      ].join(dim(' · ')) + dim(`  (${s.count} forward${s.count === 1 ? '' : 's'}${s.exact ? '' : ', ±1%'})`),
    );
  } else {
    row('Settle time', dim('n/a (no settled forward with a known start)'));
  }

  const countWidth = (xs: ReadonlyArray<{ count: number }>): number =>
    Math.max(...xs.map((x) => String(x.count).length), 1);

  const r = summary.failureReasons;
  if (r.top.length) {
    lines.push(
      bold('Top failure reasons') + dim(` (link_fail, ${r.total} total${r.approximate ? ', approximate' : ''})`),
    );
    const w = countWidth(r.top);
    for (const x of r.top) lines.push(`  ${String(x.count).padStart(w)}  ${reasonText(x)}`);
  }

  const p = summary.failingPairs;
  if (p.top.length) {
    lines.push(
      bold('Top failing channel pairs') +
        dim(` (failed forwards, ${p.total} total${p.approximate ? ', approximate' : ''})`),
    );
    const w = countWidth(p.top);
    for (const x of p.top) {
      lines.push(`  ${String(x.count).padStart(w)}  ${ch(x.incomingChannelId)} → ${ch(x.outgoingChannelId)}`);
    }
  }

  const st = summary.stuck;
  if (st.count === 0) {
    row(
      'Stuck',
      'none' + dim(` (nothing in flight for more than ${st.afterSec} s; in flight now: ${summary.inFlightTotal})`),
    );
  } else {
    lines.push(
      bold(red(`Stuck: ${st.count} HTLC${st.count === 1 ? '' : 's'} in flight for more than ${st.afterSec} s`)) +
        (st.count > st.htlcs.length ? dim(` (oldest ${st.htlcs.length} shown)`) : ''),
    );
    const ages = st.htlcs.map((h) => formatDurationNs(BigInt(h.ageNs)));
    const aw = Math.max(...ages.map((a) => a.length));
    st.htlcs.forEach((h, i) => lines.push(`  ${ages[i]!.padStart(aw)}  ${stuckText(h, ch, red, yellow)}`));
  }
  return lines.join('\n');
}

function stuckText(
  h: StuckHtlc,
  ch: (id: string) => string,
  red: (s: string) => string,
  yellow: (s: string) => string,
): string {
  const parts: string[] = [typeName(h.eventType)];
  const inSide = h.incomingChannelId === '0' ? '-' : `${ch(h.incomingChannelId)} #${h.incomingHtlcId}`;
  const outSide = h.outgoingChannelId === '0' ? '-' : `${ch(h.outgoingChannelId)} #${h.outgoingHtlcId}`;
  parts.push(`${inSide} → ${outSide}`);
  if (h.info) {
    const amt = h.info.incomingAmtMsat !== '0' ? h.info.incomingAmtMsat : h.info.outgoingAmtMsat;
    if (amt !== '0') parts.push(`${formatMsatAsSat(BigInt(amt))} sat`);
  }
  if (h.blocksLeft !== undefined) {
    const b = h.blocksLeft;
    if (b < 0) parts.push(red(`timelock passed ${-b} block${b === -1 ? '' : 's'} ago`));
    else {
      const text = `${b} block${b === 1 ? '' : 's'} left`;
      parts.push(b <= 144 ? red(text) : b <= 432 ? yellow(text) : text);
    }
  }
  return parts.join('  ');
}
