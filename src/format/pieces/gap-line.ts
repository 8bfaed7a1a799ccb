/**
 * The gap marker for people (pretty and table):
 * "──── gap 12:00:01.234 → 12:00:07.000 (stream lost: …): events in between may be missing ────"
 * The reason is sanitized (it may quote an error text from lnd) and cut to its first line.
 * On a terminal (`width`), the reason is cut first, then the trailing words.
 * With several nodes the node's name comes first: "──── umbrel: gap …".
 */
import type { GapMarker } from '../../events/model.js';
import { sanitize } from '../sanitize.js';
import type { Colorizer } from '../types.js';
import { clockText } from './clock.js';
import { fitSegments, seg } from './fit-line.js';
import { firstLine } from './first-line.js';

export function gapLine(gap: GapMarker, c: Colorizer, utc: boolean, nowMs: number, width?: number): string {
  const reason = sanitize(firstLine(gap.reason));
  const times =
    'gap ' + clockText(gap.fromMs, utc, nowMs, 'pretty') + ' → ' + clockText(gap.toMs, utc, nowMs, 'pretty');
  const segs = [
    ...(gap.node === undefined
      ? [seg('', '──── ' + times, Infinity)]
      : [
          seg('', '────', Infinity),
          { text: sanitize(gap.node), extra: 2, render: (t: string) => ' ' + t + ':', priority: 4, min: 4 },
          seg(' ', times, Infinity),
        ]),
    ...(reason ? [{ text: reason, extra: 3, render: (t: string) => ' (' + t + ')', priority: 1, min: 8 }] : []),
    seg(': ', 'events in between may be missing', 2, { min: 12 }),
    seg(' ', '────', 3),
  ];
  return c.bold(c.yellow(fitSegments(segs, width)));
}
