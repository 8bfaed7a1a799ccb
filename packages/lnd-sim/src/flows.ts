/**
 * The seven HTLC flows as lnd's htlcswitch reports them, each as a list of
 * timed events (pure, driven by a seeded Rng):
 *
 *   forward_settle           forward → settle → final(settled)
 *   forward_fail_downstream  forward → forward_fail → final(not settled)
 *   forward_fail_here        link_fail → final(not settled)
 *   receive_settle           settle → final(settled)
 *   receive_fail             link_fail → final(not settled)
 *   send_settle              forward → settle
 *   send_fail                forward → forward_fail, or link_fail alone
 *
 * final_htlc events carry only the incoming (channel, htlc id) and event_type UNKNOWN.
 *
 * Longer than most files (about 330 lines): the seven flows are written side by side so that they
 * can be compared with lnd's htlcswitch one against another.
 */
import { FAILURE_CODE_NUMBERS, FAILURE_DETAIL_NUMBERS } from './enums.js';
import { INVOICE_FAILURES, OUTGOING_FAILURE_TEXT, policyFailureText, type PolicyFailure } from './failures.js';
import { makeChanId, type SimChannel, type SimNode } from './node-state.js';
import type { Rng } from './rng.js';
import { EVENT_TYPE, type WireHtlcEvent, type WireHtlcInfo, type WireMember } from './wire-event.js';

export type FlowKind =
  | 'forward_settle'
  | 'forward_fail_downstream'
  | 'forward_fail_here'
  | 'receive_settle'
  | 'receive_fail'
  | 'send_settle'
  | 'send_fail';

export const FLOW_KINDS: readonly FlowKind[] = [
  'forward_settle',
  'forward_fail_downstream',
  'forward_fail_here',
  'receive_settle',
  'receive_fail',
  'send_settle',
  'send_fail',
];

export interface ScheduledEvent {
  /** Virtual time since the generator's start, in ms (fractional). */
  readonly atMs: number;
  readonly event: WireHtlcEvent;
  readonly flow: FlowKind;
  readonly flowId: number;
  /** A copy of an event sent before (same kind, same four ids), as lnd may replay after a restart. */
  readonly replay: boolean;
}

const code = (name: string) => FAILURE_CODE_NUMBERS.get(name)!;
const detail = (name: string) => FAILURE_DETAIL_NUMBERS.get(name)!;

interface Key {
  inChan: bigint;
  inId: bigint;
  outChan: bigint;
  outId: bigint;
}

type ForwardFailure =
  | PolicyFailure
  | 'INSUFFICIENT_BALANCE'
  | 'HTLC_EXCEEDS_MAX'
  | 'UNKNOWN_NEXT_PEER'
  | 'LINK_NOT_ELIGIBLE'
  | 'CIRCULAR_ROUTE'
  | 'INVALID_ONION_PAYLOAD';

const FORWARD_FAILURES: ReadonlyArray<readonly [number, ForwardFailure]> = [
  [40, 'INSUFFICIENT_BALANCE'],
  [12, 'FEE_INSUFFICIENT'],
  [5, 'AMOUNT_BELOW_MINIMUM'],
  [4, 'INCORRECT_CLTV_EXPIRY'],
  [5, 'EXPIRY_TOO_SOON'],
  [5, 'CHANNEL_DISABLED'],
  [6, 'HTLC_EXCEEDS_MAX'],
  [8, 'UNKNOWN_NEXT_PEER'],
  [4, 'LINK_NOT_ELIGIBLE'],
  [2, 'CIRCULAR_ROUTE'],
  [4, 'INVALID_ONION_PAYLOAD'],
];

/** Builds flows for one simulated node, keeping its per-channel HTLC id counters. */
export class FlowFactory {
  private readonly inIds = new Map<bigint, bigint>();
  private readonly outIds = new Map<bigint, bigint>();
  private readonly active: SimChannel[];
  private readonly inactive: SimChannel | undefined;

  constructor(
    private readonly rng: Rng,
    private readonly node: SimNode,
    private readonly startNs: bigint,
  ) {
    this.active = node.channels.filter((c) => c.active);
    this.inactive = node.channels.find((c) => !c.active);
    if (this.active.length < 2) throw new Error('the simulated node needs at least two active channels');
    for (const c of node.channels) {
      this.inIds.set(c.chanId, BigInt(rng.int(0, 20_000)));
      this.outIds.set(c.chanId, BigInt(rng.int(0, 20_000)));
    }
  }

  private nextId(map: Map<bigint, bigint>, chan: bigint): bigint {
    const id = map.get(chan) ?? 0n;
    map.set(chan, id + 1n);
    return id;
  }

  private ns(atMs: number): bigint {
    return this.startNs + BigInt(Math.round(atMs * 1e6));
  }

  private amount(lo: number, hi: number): bigint {
    const v = Math.round(this.rng.logUniform(lo, hi));
    return BigInt(this.rng.chance(0.6) ? Math.max(1000, Math.round(v / 1000) * 1000) : v);
  }

  private ev(atMs: number, key: Key, eventType: number, member: WireMember): WireHtlcEvent {
    return {
      incomingChannelId: key.inChan,
      outgoingChannelId: key.outChan,
      incomingHtlcId: key.inId,
      outgoingHtlcId: key.outId,
      timestampNs: this.ns(atMs),
      eventType,
      member,
    };
  }

  private final(atMs: number, key: Key, settled: boolean): WireHtlcEvent {
    const onChain = this.rng.chance(0.01);
    const at = onChain ? atMs + 20_000 + this.rng.exp(40_000) : atMs;
    return this.ev(at, { inChan: key.inChan, inId: key.inId, outChan: 0n, outId: 0n }, EVENT_TYPE.UNKNOWN, {
      kind: 'final_htlc',
      settled,
      offchain: !onChain,
    });
  }

  /** Makes one flow starting at `t0` (virtual ms). Events come back in time order. */
  make(kind: FlowKind, t0: number, flowId: number): ScheduledEvent[] {
    const events = this.build(kind, t0);
    return events
      .map((event) => ({
        atMs: Number(event.timestampNs - this.startNs) / 1e6,
        event,
        flow: kind,
        flowId,
        replay: false,
      }))
      .sort((a, b) => a.atMs - b.atMs);
  }

  private build(kind: FlowKind, t0: number): WireHtlcEvent[] {
    const r = this.rng;
    const h = this.node.blockHeight;
    const inCh = r.pick(this.active);
    const outCh = r.pick(this.active.filter((c) => c !== inCh));
    const outAmt = this.amount(1e6, 2e9);
    const fee = BigInt(outCh.policy.baseFeeMsat) + (outAmt * BigInt(outCh.policy.feeRatePpm)) / 1_000_000n;
    const outLock = h + r.int(40, 1200);
    const fwdInfo: WireHtlcInfo = {
      incomingTimelock: outLock + outCh.policy.timeLockDelta,
      outgoingTimelock: outLock,
      incomingAmtMsat: outAmt + fee,
      outgoingAmtMsat: outAmt,
    };
    const preimage = () => r.bytes(32);
    const FWD = EVENT_TYPE.FORWARD;
    switch (kind) {
      case 'forward_settle':
      case 'forward_fail_downstream': {
        const key = {
          inChan: inCh.chanId,
          inId: this.nextId(this.inIds, inCh.chanId),
          outChan: outCh.chanId,
          outId: this.nextId(this.outIds, outCh.chanId),
        };
        const settle = kind === 'forward_settle';
        const t1 = t0 + (settle ? 40 + r.exp(700) : 25 + r.exp(450));
        const t2 = t1 + 1 + r.exp(15);
        return [
          this.ev(t0, key, FWD, { kind: 'forward', info: fwdInfo }),
          this.ev(t1, key, FWD, settle ? { kind: 'settle', preimage: preimage() } : { kind: 'forward_fail' }),
          this.final(t2, key, settle),
        ];
      }
      case 'forward_fail_here':
        return this.forwardFailHere(t0, inCh, outCh, fwdInfo);
      case 'receive_settle':
      case 'receive_fail': {
        const amt = this.amount(1e6, 5e8);
        const key = { inChan: inCh.chanId, inId: this.nextId(this.inIds, inCh.chanId), outChan: 0n, outId: 0n };
        const info: WireHtlcInfo = {
          incomingTimelock: h + r.int(80, 200),
          outgoingTimelock: 0,
          incomingAmtMsat: amt,
          outgoingAmtMsat: 0n,
        };
        const t1 = t0 + 2 + r.exp(20);
        if (kind === 'receive_settle') {
          return [
            this.ev(t0, key, EVENT_TYPE.RECEIVE, { kind: 'settle', preimage: preimage() }),
            this.final(t1, key, true),
          ];
        }
        const [detailName, text] = r.pick(INVOICE_FAILURES);
        const wire = detailName === 'MPP_INVOICE_TIMEOUT' ? 'MPP_TIMEOUT' : 'INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS';
        return [
          this.ev(t0, key, EVENT_TYPE.RECEIVE, {
            kind: 'link_fail',
            info,
            wireFailure: code(wire),
            failureDetail: detail(detailName),
            failureString: text,
          }),
          this.final(t1, key, false),
        ];
      }
      case 'send_settle':
      case 'send_fail': {
        const info: WireHtlcInfo = {
          incomingTimelock: 0,
          outgoingTimelock: outLock,
          incomingAmtMsat: 0n,
          outgoingAmtMsat: outAmt,
        };
        if (kind === 'send_fail' && r.chance(0.3)) {
          // Failed at our own outgoing link before the HTLC was added: no outgoing htlc id.
          const key = { inChan: 0n, inId: 0n, outChan: outCh.chanId, outId: 0n };
          return [
            this.ev(t0, key, EVENT_TYPE.SEND, {
              kind: 'link_fail',
              info,
              wireFailure: code('TEMPORARY_CHANNEL_FAILURE'),
              failureDetail: detail('INSUFFICIENT_BALANCE'),
              failureString: OUTGOING_FAILURE_TEXT.INSUFFICIENT_BALANCE,
            }),
          ];
        }
        const key = { inChan: 0n, inId: 0n, outChan: outCh.chanId, outId: this.nextId(this.outIds, outCh.chanId) };
        const settle = kind === 'send_settle';
        const t1 = t0 + (settle ? 150 + r.exp(1500) : 80 + r.exp(1000));
        return [
          this.ev(t0, key, EVENT_TYPE.SEND, { kind: 'forward', info }),
          this.ev(
            t1,
            key,
            EVENT_TYPE.SEND,
            settle ? { kind: 'settle', preimage: preimage() } : { kind: 'forward_fail' },
          ),
        ];
      }
    }
  }

  private forwardFailHere(t0: number, inCh: SimChannel, outCh0: SimChannel, info0: WireHtlcInfo): WireHtlcEvent[] {
    const r = this.rng;
    const failure = r.weighted(FORWARD_FAILURES);
    const inKey = { inChan: inCh.chanId, inId: this.nextId(this.inIds, inCh.chanId) };
    let outChan = outCh0.chanId;
    let outCh = outCh0;
    let info = info0;
    let wire = 'TEMPORARY_CHANNEL_FAILURE';
    let det = 'NO_DETAIL';
    let text = '';
    switch (failure) {
      case 'INSUFFICIENT_BALANCE':
      case 'HTLC_EXCEEDS_MAX':
        det = failure;
        text = OUTGOING_FAILURE_TEXT[failure];
        break;
      case 'CIRCULAR_ROUTE':
        outChan = inCh.chanId;
        det = failure;
        text = OUTGOING_FAILURE_TEXT.CIRCULAR_ROUTE;
        break;
      case 'UNKNOWN_NEXT_PEER':
        outChan = makeChanId(r);
        wire = 'UNKNOWN_NEXT_PEER';
        text = 'UnknownNextPeer';
        break;
      case 'LINK_NOT_ELIGIBLE':
        outChan = (this.inactive ?? outCh0).chanId;
        wire = 'UNKNOWN_NEXT_PEER';
        det = failure;
        text = OUTGOING_FAILURE_TEXT.LINK_NOT_ELIGIBLE;
        break;
      case 'INVALID_ONION_PAYLOAD':
        // Failed on the incoming side: the payload could not be decoded, so there is no outgoing side.
        outChan = 0n;
        wire = failure;
        text = `InvalidOnionPayload(type=${r.pick([2, 4, 6, 8])}, offset=0)`;
        info = {
          incomingTimelock: info0.incomingTimelock,
          outgoingTimelock: 0,
          incomingAmtMsat: info0.incomingAmtMsat,
          outgoingAmtMsat: 0n,
        };
        break;
      default: {
        // Policy failures: the text embeds the channel update of the outgoing channel.
        if (failure === 'CHANNEL_DISABLED' && this.inactive) {
          outCh = this.inactive;
          outChan = outCh.chanId;
        }
        wire = failure;
        const amt = failure === 'AMOUNT_BELOW_MINIMUM' ? BigInt(r.int(1, 999)) : info0.incomingAmtMsat;
        if (failure === 'AMOUNT_BELOW_MINIMUM') info = { ...info0, incomingAmtMsat: amt + 1n, outgoingAmtMsat: amt };
        text = policyFailureText(failure, {
          amtMsat: amt,
          cltv: info.outgoingTimelock,
          policy: outCh.policy,
          network: this.node.network,
          timestamp: Number(this.startNs / 1_000_000_000n) - r.int(60, 86_400),
          rng: r,
        });
      }
    }
    const key = { ...inKey, outChan, outId: 0n };
    return [
      this.ev(t0, key, EVENT_TYPE.FORWARD, {
        kind: 'link_fail',
        info,
        wireFailure: code(wire),
        failureDetail: detail(det),
        failureString: text,
      }),
      this.final(t0 + 1 + r.exp(10), key, false),
    ];
  }
}
