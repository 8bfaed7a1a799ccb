/**
 * Fills a history store with the simulated node's generated week
 * (`generateWeek` of @htlc-tail/lnd-sim), through the same correlation and
 * writer a live recorder uses: `npm run week -- FILE` (week-main.ts), the
 * tests and the benchmark call it. `toModel` turns the simulator's events
 * into the normalized model (what decoding their protobuf bytes gives),
 * `modelItems` a whole week.
 */
import {
  generateWeek,
  isWeekGap,
  type Week,
  type WeekOptions,
  type WireHtlcEvent,
  type WireHtlcInfo,
} from '@htlc-tail/lnd-sim';
import { Correlator } from '../events/correlate.js';
import type { HtlcEvent, HtlcInfo, OutputItem } from '../events/model.js';
import type { Store } from './open.js';
import { StoreWriter } from './writer.js';

export interface WeekFill {
  readonly week: Week;
  readonly nodeId: number;
  readonly events: number;
  readonly gaps: number;
}

function info(i: WireHtlcInfo | null): HtlcInfo | null {
  if (i === null) return null;
  return {
    incomingTimelock: i.incomingTimelock,
    outgoingTimelock: i.outgoingTimelock,
    incomingAmtMsat: i.incomingAmtMsat.toString(),
    outgoingAmtMsat: i.outgoingAmtMsat.toString(),
  };
}

/** The simulator's event in the normalized model (what decoding its protobuf bytes gives, without the bytes). */
export function toModel(e: WireHtlcEvent): HtlcEvent {
  const base = {
    eventType: e.eventType,
    timestampNs: e.timestampNs.toString(),
    incomingChannelId: e.incomingChannelId.toString(),
    outgoingChannelId: e.outgoingChannelId.toString(),
    incomingHtlcId: e.incomingHtlcId.toString(),
    outgoingHtlcId: e.outgoingHtlcId.toString(),
  };
  const m = e.member;
  switch (m.kind) {
    case 'forward':
      return { ...base, event: 'forward', info: info(m.info) };
    case 'link_fail':
      return {
        ...base,
        event: 'link_fail',
        info: info(m.info),
        wireFailure: m.wireFailure,
        failureDetail: m.failureDetail,
        failureString: m.failureString,
      };
    case 'settle':
      return { ...base, event: 'settle', preimage: m.preimage };
    case 'final_htlc':
      return { ...base, event: 'final_htlc', settled: m.settled, offchain: m.offchain };
    case 'forward_fail':
    case 'subscribed':
      return { ...base, event: m.kind };
    case 'none':
      return { ...base, event: 'unknown' };
  }
}

/** The week's events in the model and its gaps as gap markers, in time order, uncorrelated. */
export function* modelItems(week: Week): Generator<OutputItem> {
  for (const item of week.items()) yield isWeekGap(item) ? item : toModel(item);
}

export async function fillStoreWithWeek(
  store: Store,
  opts: WeekOptions & { readonly name?: string } = {},
): Promise<WeekFill> {
  const week = generateWeek(opts);
  const writer = new StoreWriter(store, { maxBatch: 20_000, highWaterMark: 1_000_000 });
  const sink = writer.node({
    identity: week.node.pubkey,
    pubkey: week.node.pubkey,
    alias: week.node.alias,
    ...(opts.name ? { name: opts.name } : {}),
  });
  sink.channels(
    week.node.channels.map((c) => ({
      channelId: c.chanId.toString(),
      peerPubkey: c.peer.pubkey,
      alias: c.peer.listAlias || c.peer.graphAlias || '',
    })),
  );
  const correlator = new Correlator();
  let events = 0;
  let gaps = 0;
  for (const item of modelItems(week)) {
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
