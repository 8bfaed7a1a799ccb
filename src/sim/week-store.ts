/**
 * Fills a history store with a generated week (week.ts), through the same
 * correlation and writer a live recorder uses: `htlc-tail-sim --week FILE`,
 * the tests and the benchmark call it.
 */
import { Correlator } from '../events/correlate.js';
import type { Store } from '../history/open.js';
import { StoreWriter } from '../history/writer.js';
import { generateWeek, type Week, type WeekOptions } from './week.js';

export interface WeekFill {
  readonly week: Week;
  readonly nodeId: number;
  readonly events: number;
  readonly gaps: number;
}

export async function fillStoreWithWeek(store: Store, opts: WeekOptions & { readonly name?: string } = {}): Promise<WeekFill> {
  const week = generateWeek(opts);
  const writer = new StoreWriter(store, { maxBatch: 20_000, highWaterMark: 1_000_000 });
  const sink = writer.node({ identity: week.node.pubkey, pubkey: week.node.pubkey, alias: week.node.alias, ...(opts.name ? { name: opts.name } : {}) });
  sink.channels(
    week.node.channels.map((c) => ({ channelId: c.chanId.toString(), peerPubkey: c.peer.pubkey, alias: c.peer.listAlias || c.peer.graphAlias || '' })),
  );
  const correlator = new Correlator();
  let events = 0;
  let gaps = 0;
  for (const item of week.items()) {
    if (item.event === 'gap') {
      gaps++;
      sink.write(item);
    } else {
      events++;
      sink.write(correlator.apply(item));
    }
    if (writer.pending >= 20_000) writer.flush();
  }
  sink.alive(week.endMs);
  await writer.close();
  return { week, nodeId: sink.nodeId, events, gaps };
}
