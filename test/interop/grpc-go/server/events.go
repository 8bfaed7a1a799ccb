package main

import (
	"encoding/json"
	"time"

	"htlctail/lnrpc"
	"htlctail/routerrpc"
)

type rawJSON []byte

func (j rawJSON) MarshalJSON() ([]byte, error) { return json.RawMessage(j).MarshalJSON() }

func nowNs() uint64 { return uint64(time.Now().UnixNano()) }

// scid is lnd's short channel id: block << 40 | tx index << 16 | output.
func scid(block, tx, out uint64) uint64 { return block<<40 | tx<<16 | out }

// The node's channels (all above 2^53, like every mainnet channel id).
var (
	chanA = scid(845602, 1538, 3)
	chanB = scid(870001, 2, 1)
	chanC = scid(790000, 100, 0)
)

const u64Max = ^uint64(0)

func subscribedEvent() *routerrpc.HtlcEvent {
	return &routerrpc.HtlcEvent{Event: &routerrpc.HtlcEvent_SubscribedEvent{SubscribedEvent: &routerrpc.SubscribedEvent{}}}
}

func info(inTl, outTl uint32, inAmt, outAmt uint64) *routerrpc.HtlcInfo {
	return &routerrpc.HtlcInfo{IncomingTimelock: inTl, OutgoingTimelock: outTl, IncomingAmtMsat: inAmt, OutgoingAmtMsat: outAmt}
}

func preimage(seed byte) []byte {
	p := make([]byte, 32)
	for i := range p {
		p[i] = seed ^ byte(i*7)
	}
	return p
}

const feeInsufficientText = "FeeInsufficient(htlc_amt==1000000 mSAT, update=(*lnwire.ChannelUpdate)({\n" +
	" ShortChannelID: (lnwire.ShortChannelID) 870001:2:1,\n" +
	" BaseFee: (uint32) 1000,\n" +
	" FeeRate: (uint32) 2500\n" +
	"})"

// realisticEvents are lnd's typical orders (LND-FACTS "What the events mean")
// with mainnet-like values, plus values a client must not round or reject.
func realisticEvents() []*routerrpc.HtlcEvent {
	base := nowNs()
	type ids struct{ inCh, inH, outCh, outH uint64 }
	k := uint64(0)
	ev := func(t routerrpc.HtlcEvent_EventType, id ids, set func(*routerrpc.HtlcEvent)) *routerrpc.HtlcEvent {
		k++
		e := &routerrpc.HtlcEvent{IncomingChannelId: id.inCh, IncomingHtlcId: id.inH, OutgoingChannelId: id.outCh,
			OutgoingHtlcId: id.outH, TimestampNs: base + k*1_000_250, EventType: t}
		set(e)
		return e
	}
	fwd := func(i *routerrpc.HtlcInfo) func(*routerrpc.HtlcEvent) {
		return func(e *routerrpc.HtlcEvent) {
			e.Event = &routerrpc.HtlcEvent_ForwardEvent{ForwardEvent: &routerrpc.ForwardEvent{Info: i}}
		}
	}
	settle := func(p []byte) func(*routerrpc.HtlcEvent) {
		return func(e *routerrpc.HtlcEvent) {
			e.Event = &routerrpc.HtlcEvent_SettleEvent{SettleEvent: &routerrpc.SettleEvent{Preimage: p}}
		}
	}
	final := func(settled, offchain bool) func(*routerrpc.HtlcEvent) {
		return func(e *routerrpc.HtlcEvent) {
			e.Event = &routerrpc.HtlcEvent_FinalHtlcEvent{FinalHtlcEvent: &routerrpc.FinalHtlcEvent{Settled: settled, Offchain: offchain}}
		}
	}
	linkFail := func(i *routerrpc.HtlcInfo, wire lnrpc.Failure_FailureCode, detail routerrpc.FailureDetail, text string) func(*routerrpc.HtlcEvent) {
		return func(e *routerrpc.HtlcEvent) {
			e.Event = &routerrpc.HtlcEvent_LinkFailEvent{LinkFailEvent: &routerrpc.LinkFailEvent{Info: i, WireFailure: wire, FailureDetail: detail, FailureString: text}}
		}
	}
	forwardFail := func(e *routerrpc.HtlcEvent) {
		e.Event = &routerrpc.HtlcEvent_ForwardFailEvent{ForwardFailEvent: &routerrpc.ForwardFailEvent{}}
	}
	const (
		fw = routerrpc.HtlcEvent_FORWARD
		rc = routerrpc.HtlcEvent_RECEIVE
		sd = routerrpc.HtlcEvent_SEND
		un = routerrpc.HtlcEvent_UNKNOWN
	)
	return []*routerrpc.HtlcEvent{
		// A forward that settles: forward, settle, final (settled).
		ev(fw, ids{chanA, 7001, chanB, 9001}, fwd(info(870250, 870210, 1_000_500, 1_000_000))),
		ev(fw, ids{chanA, 7001, chanB, 9001}, settle(preimage(0x11))),
		ev(un, ids{chanA, 7001, 0, 0}, final(true, true)),
		// A forward refused here for lack of balance: link_fail, final (not settled).
		ev(fw, ids{chanA, 7002, chanC, 0}, linkFail(info(870300, 870260, 2_500_000_000, 2_499_750_000),
			lnrpc.Failure_TEMPORARY_CHANNEL_FAILURE, routerrpc.FailureDetail_INSUFFICIENT_BALANCE, "insufficient bandwidth to route htlc")),
		ev(un, ids{chanA, 7002, 0, 0}, final(false, true)),
		// A forward that failed downstream: forward, forward_fail, final (not settled).
		ev(fw, ids{chanB, 7003, chanC, 9003}, fwd(info(870400, 870360, 50_000_123, 50_000_000))),
		ev(fw, ids{chanB, 7003, chanC, 9003}, forwardFail),
		ev(un, ids{chanB, 7003, 0, 0}, final(false, true)),
		// A receive that settles, then resolves on chain.
		ev(rc, ids{chanC, 7004, 0, 0}, settle(preimage(0x22))),
		ev(un, ids{chanC, 7004, 0, 0}, final(true, false)),
		// A send: forward, then lnd's fee failure with its multi-line channel update dump.
		ev(sd, ids{0, 0, chanA, 9005}, fwd(info(0, 870500, 0, 75_000_000))),
		ev(sd, ids{0, 0, chanB, 0}, linkFail(info(0, 870510, 0, 1_000_000),
			lnrpc.Failure_FEE_INSUFFICIENT, routerrpc.FailureDetail_NO_DETAIL, feeInsufficientText)),
		// Values a newer lnd may send and the limits of uint64.
		ev(routerrpc.HtlcEvent_EventType(7), ids{chanA, 7006, chanC, 9006}, linkFail(nil,
			lnrpc.Failure_FailureCode(1234), routerrpc.FailureDetail(99), "über-failure ⚡ 100%")),
		ev(fw, ids{u64Max, u64Max, u64Max, u64Max}, fwd(info(4294967295, 4294967295, u64Max, 9007199254740993001))),
	}
}

// burstEvent i: a forward from A to B with htlc ids i, 1 msat fee.
func burstEvent(i int, base uint64) *routerrpc.HtlcEvent {
	n := uint64(i)
	return &routerrpc.HtlcEvent{IncomingChannelId: chanA, IncomingHtlcId: n, OutgoingChannelId: chanB, OutgoingHtlcId: n,
		TimestampNs: base + n*1000, EventType: routerrpc.HtlcEvent_FORWARD,
		Event: &routerrpc.HtlcEvent_ForwardEvent{ForwardEvent: &routerrpc.ForwardEvent{Info: info(870600, 870560, 1_000_001+n, 1_000_000+n)}}}
}
