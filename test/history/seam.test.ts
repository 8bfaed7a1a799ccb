/**
 * The --since/--tail seam: recorded events printed first, then live ones; an
 * event both recorded and received live is printed once, nothing is lost.
 */
import { describe, expect, test } from '@jest/globals';
import type { HtlcEvent } from '../../src/events/model.js';
import { eventKey, SeamDeduper } from '../../src/history/seam.js';

const e = (ts: number, id: number, event: HtlcEvent['event'] = 'forward'): HtlcEvent => ({
  event,
  eventType: 3,
  timestampNs: String(1_800_000_000_000_000_000n + BigInt(ts)),
  incomingChannelId: '11',
  incomingHtlcId: String(id),
  outgoingChannelId: '22',
  outgoingHtlcId: String(id),
});

/** What the tail prints: the recorded events, then each live event the seam does not drop. */
function merge(recorded: HtlcEvent[], live: HtlcEvent[], fromNs: bigint): string[] {
  const seam = new SeamDeduper(fromNs);
  const out: string[] = [];
  for (const r of recorded) {
    seam.recorded(r);
    out.push(eventKey(r));
  }
  for (const l of live) if (!seam.seenLive(l)) out.push(eventKey(l));
  return out;
}

describe('SeamDeduper', () => {
  test('the overlap is printed once, in order; kinds and ids make the key', () => {
    const recorded = [e(1, 1), e(2, 2), e(3, 3), e(3, 3, 'settle')];
    const live = [e(2, 2), e(3, 3), e(3, 3, 'settle'), e(3, 4), e(4, 5)];
    expect(merge(recorded, live, 0n)).toEqual(
      [e(1, 1), e(2, 2), e(3, 3), e(3, 3, 'settle'), e(3, 4), e(4, 5)].map(eventKey),
    );
  });

  test('a live event the recorder never stored (older than the newest recorded one) is kept', () => {
    const recorded = [e(1, 1), e(5, 5)];
    const live = [e(3, 3), e(5, 5), e(6, 6)];
    expect(merge(recorded, live, 0n)).toEqual([e(1, 1), e(5, 5), e(3, 3), e(6, 6)].map(eventKey));
  });

  test('memory: only keys at or after fromNs are held, and none once live passes the newest recorded', () => {
    const seam = new SeamDeduper(1_800_000_000_000_000_000n + 100n);
    for (let i = 0; i < 200; i++) seam.recorded(e(i, i));
    expect(seam.size).toBe(100);
    expect(seam.seenLive(e(150, 150))).toBe(true);
    expect(seam.seenLive(e(300, 300))).toBe(false);
    expect(seam.size).toBe(0);
    expect(seam.seenLive(e(199, 199))).toBe(false);
  });
});
