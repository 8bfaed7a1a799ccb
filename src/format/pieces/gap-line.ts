/**
 * The gap marker for people (pretty and table):
 * "──── gap 12:00:01.234 → 12:00:07.000 (stream lost: …): events in between may be missing ────"
 * The reason is sanitized (it may quote an error text from lnd) and cut to its first line.
 */
import type { GapMarker } from '../../events/model.js';
import { sanitize } from '../sanitize.js';
import type { Colorizer } from '../types.js';
import { clockText } from './clock.js';
import { firstLine } from './first-line.js';

export function gapLine(gap: GapMarker, c: Colorizer, utc: boolean, nowMs: number): string {
  const reason = sanitize(firstLine(gap.reason));
  const text =
    '──── gap ' +
    clockText(gap.fromMs, utc, nowMs, 'pretty') +
    ' → ' +
    clockText(gap.toMs, utc, nowMs, 'pretty') +
    (reason ? ' (' + reason + ')' : '') +
    ': events in between may be missing ────';
  return c.bold(c.yellow(text));
}
