/**
 * `--format pretty`: one line per event for people.
 *
 *   12:00:01.243 FORWARD settle       830412x1903x1 (ACINQ) → 830500x12x0 (Kraken)  1,250.5 sat  fee 1.25 sat  9.4 ms  settled
 *   12:00:02.001 FORWARD link_fail    830412x1903x1 (ACINQ) → 830500x12x0  50,000 sat  fee 5 sat  failed TEMPORARY_CHANNEL_FAILURE/INSUFFICIENT_BALANCE: not enough outbound liquidity on the outgoing channel — lnd: insufficient bandwidth to route htlc
 *
 * Time: local (UTC with ctx.utc), "HH:MM:SS.mmm", with the date in front when
 * the event is not from today. Amounts in sat with msat precision, exact.
 * Text from the node (aliases, failure_string) is sanitized; failure_string
 * shows only its first line.
 */
import type { HtlcEvent, OutputItem } from '../events/model.js';
import type { FormatContext } from './types.js';
import { channelLabelText, type ChannelLabel } from './pieces/channel-label.js';
import { eventView } from './pieces/event-view.js';
import { gapLine } from './pieces/gap-line.js';
import { humanDuration } from './pieces/human-duration.js';
import { msatToSat } from './pieces/msat-to-sat.js';
import { paintKind, paintTone, paintType } from './pieces/paint.js';
import type { Colorizer } from './types.js';

const TYPE_WIDTH = 7; // RECEIVE, FORWARD
const KIND_WIDTH = 12; // forward_fail

function channel(c: Colorizer, l: ChannelLabel): string {
  if (!c.enabled) return channelLabelText(l);
  return l.alias === undefined ? l.id : l.id + ' (' + c.bold(l.alias) + ')';
}

export function formatPretty(item: OutputItem, ctx: FormatContext): string {
  const nowMs = (ctx.now ?? Date.now)();
  if (item.event === 'gap') return gapLine(item, ctx.colorizer, ctx.utc, nowMs);
  return prettyEvent(item, ctx, nowMs);
}

function prettyEvent(ev: HtlcEvent, ctx: FormatContext, nowMs: number): string {
  const c = ctx.colorizer;
  const v = eventView(ev, ctx.utc, nowMs, 'pretty');
  if (v.kind === 'subscribed') return c.dim(v.time) + ' ' + c.dim(v.outcome ?? 'subscribed');

  const parts: string[] = [
    c.dim(v.time),
    paintType(c, v.type, v.typeLabel.padEnd(TYPE_WIDTH)),
    paintKind(c, v.kind, v.tone, v.kind.padEnd(KIND_WIDTH)),
  ];
  let line = parts.join(' ') + ' ' + channel(c, v.in);
  if (v.out !== undefined) line += c.dim(' → ') + channel(c, v.out);
  if (v.amountMsat !== undefined) line += '  ' + c.bold(msatToSat(v.amountMsat, false)) + ' sat';
  if (v.feeMsat !== undefined) line += '  ' + c.dim('fee') + ' ' + msatToSat(v.feeMsat, false) + ' sat';
  if (v.durationNs !== undefined) line += '  ' + humanDuration(v.durationNs);
  if (v.outcome !== undefined) {
    let o = paintTone(c, v.tone, v.outcome);
    if (v.codes !== undefined) o += ' ' + c.red(v.codes);
    if (v.explanation !== undefined) o += ': ' + v.explanation;
    if (v.lndText !== undefined) o += c.dim(' — lnd: ' + v.lndText);
    line += '  ' + o;
  }
  if (v.replayed) line += '  ' + c.yellow('[replayed]');
  return line;
}
