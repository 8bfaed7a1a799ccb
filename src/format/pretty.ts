/**
 * `--format pretty`: one line per event for people.
 *
 *   12:00:01.243 FORWARD settle       830412x1903x1 (ACINQ) → 830500x12x0 (Kraken)  1,250.5 sat  fee 1.25 sat  9.4 ms  settled
 *   12:00:02.001 FORWARD link_fail    830412x1903x1 (ACINQ) → 830500x12x0  50,000 sat  fee 5 sat  failed TEMPORARY_CHANNEL_FAILURE/INSUFFICIENT_BALANCE: not enough outbound liquidity on the outgoing channel — lnd: insufficient bandwidth to route htlc
 *
 * Time: local (UTC with ctx.utc, then marked `Z`), "HH:MM:SS.mmm", with the
 * date in front when the event is not from today. Amounts in sat with msat
 * precision, exact. Text from the node (aliases, failure_string) is
 * sanitized; failure_string shows only its first line.
 *
 * On a terminal (ctx.width) the line is fitted to its width (fit-line.ts):
 * texts are cut with "…" first (lnd's text, the explanation, the aliases, the
 * codes), then parts are left out: lnd's text, the explanation, the duration,
 * the outcome word where the kind says it already, the fee, the aliases, the
 * codes, the amount, the type, the outgoing channel; the time, the event kind
 * and the incoming short channel id stay. A short channel id is never split.
 *
 * With several nodes (ctx.nodeWidth) the node's name follows the time,
 * padded to that width (cut to it on a terminal, where it goes after the
 * type when the line is too narrow).
 */
import type { HtlcEvent, OutputItem } from '../events/model.js';
import type { FormatContext } from './types.js';
import { eventView } from './pieces/event-view.js';
import { fitSegments, seg, type Segment } from './pieces/fit-line.js';
import { gapLine } from './pieces/gap-line.js';
import { humanDuration } from './pieces/human-duration.js';
import { msatToSat } from './pieces/msat-to-sat.js';
import { paintKind, paintTone, paintType } from './pieces/paint.js';
import type { Colorizer } from './types.js';
import { cutWidth, padWidth } from './pieces/fit-width.js';
import { sanitize } from './sanitize.js';

const TYPE_WIDTH = 7; // RECEIVE, FORWARD
const KIND_WIDTH = 12; // forward_fail
const ALWAYS = Infinity;

/** Which part goes first when the line is too wide (lowest first). */
const P = {
  lndText: 1,
  explanation: 2,
  duration: 3,
  repeatedOutcome: 3.5,
  fee: 4,
  alias: 5,
  codes: 6,
  replayed: 7,
  amount: 8,
  outcome: 9,
  type: 10,
  node: 10.5,
  outChannel: 11,
} as const;

function alias(c: Colorizer, text: string): Segment {
  return {
    text,
    extra: 3,
    render: c.enabled ? (t) => ' (' + c.bold(t) + ')' : (t) => ' (' + t + ')',
    priority: P.alias,
    min: 4,
  };
}

export function formatPretty(item: OutputItem, ctx: FormatContext): string {
  const nowMs = (ctx.now ?? Date.now)();
  if (item.event === 'gap') return gapLine(item, ctx.colorizer, ctx.utc, nowMs, ctx.width);
  return fitSegments(prettySegments(item, ctx, nowMs), ctx.width);
}

/** The node column: the name (sanitized) padded to `width`; on a terminal also cut to it. */
function nodeSegment(c: Colorizer, name: string, width: number, terminal: boolean): Segment {
  const text = sanitize(name);
  return seg(' ', padWidth(terminal ? cutWidth(text, width) : text, width, 'left'), P.node, {
    min: 4,
    paint: (s) => c.cyan(s),
  });
}

function prettySegments(ev: HtlcEvent, ctx: FormatContext, nowMs: number): Segment[] {
  const c = ctx.colorizer;
  const v = eventView(ev, ctx.utc, nowMs, 'pretty');
  const dim = (s: string) => c.dim(s);
  const segs: Segment[] = [seg('', v.time, ALWAYS, { paint: dim })];
  if (ctx.nodeWidth !== undefined && ev.node !== undefined)
    segs.push(nodeSegment(c, ev.node, ctx.nodeWidth, ctx.width !== undefined));
  if (v.kind === 'subscribed') {
    segs.push(seg(' ', v.outcome ?? 'subscribed', P.outcome, { min: 10, paint: dim }));
    return segs;
  }
  segs.push(
    seg(' ', v.typeLabel.padEnd(TYPE_WIDTH), P.type, { paint: (s) => paintType(c, v.type, s) }),
    seg(' ', v.kind.padEnd(KIND_WIDTH), ALWAYS, { paint: (s) => paintKind(c, v.kind, v.tone, s) }),
    seg(' ', v.in.id, ALWAYS),
  );
  if (v.in.alias !== undefined) segs.push(alias(c, v.in.alias));
  if (v.out !== undefined) {
    segs.push({ text: v.out.id, extra: 3, render: (t) => c.dim(' → ') + t, priority: P.outChannel });
    if (v.out.alias !== undefined) segs.push(alias(c, v.out.alias));
  }
  if (v.amountMsat !== undefined) {
    segs.push({
      text: msatToSat(v.amountMsat, false),
      extra: 6,
      render: (t) => '  ' + c.bold(t) + ' sat',
      priority: P.amount,
    });
  }
  if (v.feeMsat !== undefined) {
    segs.push({
      text: msatToSat(v.feeMsat, false),
      extra: 10,
      render: (t) => '  ' + c.dim('fee') + ' ' + t + ' sat',
      priority: P.fee,
    });
  }
  if (v.durationNs !== undefined) segs.push(seg('  ', humanDuration(v.durationNs), P.duration));
  if (v.outcome !== undefined) {
    // "settled"/"failed" repeats what the kind says, except for a final_htlc (and an unknown kind).
    const says = v.kind === 'final_htlc' || v.kind === 'unknown';
    segs.push(seg('  ', v.outcome, says ? P.outcome : P.repeatedOutcome, { paint: (s) => paintTone(c, v.tone, s) }));
    if (v.codes !== undefined) segs.push(seg(' ', v.codes, P.codes, { min: 12, paint: (s) => c.red(s) }));
    if (v.explanation !== undefined) segs.push(seg(': ', v.explanation, P.explanation, { min: 12 }));
    if (v.lndText !== undefined)
      segs.push({ text: v.lndText, extra: 8, render: (t) => c.dim(' — lnd: ' + t), priority: P.lndText, min: 10 });
  }
  if (v.replayed) segs.push(seg('  ', '[replayed]', P.replayed, { paint: (s) => c.yellow(s) }));
  return segs;
}
