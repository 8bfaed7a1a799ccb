package main

import (
	"context"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"htlctail/lnrpc"
)

// The peers of the node's channels: A's peer alias comes with ListChannels,
// B's only from GetNodeInfo (ListChannels leaves it empty), C's peer is not in
// the graph (ListChannels carries lnd's lookup error, GetNodeInfo NOT_FOUND).
const (
	pubkeyA  = "02a1ce000000000000000000000000000000000000000000000000000000000a01"
	pubkeyB  = "03b0b0000000000000000000000000000000000000000000000000000000000b02"
	pubkeyC  = "02ca20100000000000000000000000000000000000000000000000000000000c03"
	ourKey   = "0390e1000000000000000000000000000000000000000000000000000000000d04"
	aliasA   = "alice ⚡ routing"
	aliasB   = "bob's node"
	lookupNo = "unable to lookup peer alias: alias for node not found"
)

// lightning answers the unary calls htlc-tail makes for aliases and the block height.
type lightning struct {
	lnrpc.UnimplementedLightningServer
	out *out
}

func (l *lightning) report(ctx context.Context, method string, req proto.Message) {
	js, _ := restJSON.Marshal(req)
	from := ""
	if p, ok := peer.FromContext(ctx); ok {
		from = p.Addr.String()
	}
	l.out.emit(map[string]interface{}{"ev": "unary", "method": method, "peer": from, "request": rawJSON(js)})
}

func (l *lightning) GetInfo(ctx context.Context, req *lnrpc.GetInfoRequest) (*lnrpc.GetInfoResponse, error) {
	l.report(ctx, "GetInfo", req)
	return &lnrpc.GetInfoResponse{Version: "0.18.5-beta commit=interop", IdentityPubkey: ourKey, Alias: "grpc-go interop",
		NumActiveChannels: 3, NumPeers: 3, BlockHeight: 870700, SyncedToChain: true, SyncedToGraph: true,
		Chains: []*lnrpc.Chain{{Chain: "bitcoin", Network: "regtest"}}}, nil
}

func (l *lightning) ListChannels(ctx context.Context, req *lnrpc.ListChannelsRequest) (*lnrpc.ListChannelsResponse, error) {
	l.report(ctx, "ListChannels", req)
	alias := func(a string) string {
		if req.PeerAliasLookup {
			return a
		}
		return ""
	}
	return &lnrpc.ListChannelsResponse{Channels: []*lnrpc.Channel{
		{Active: true, RemotePubkey: pubkeyA, ChanId: chanA, Capacity: 5_000_000, LocalBalance: 2_000_000, RemoteBalance: 3_000_000, PeerAlias: alias(aliasA)},
		{Active: true, RemotePubkey: pubkeyB, ChanId: chanB, Capacity: 2_000_000, LocalBalance: 1_000_000, RemoteBalance: 1_000_000},
		{Active: false, RemotePubkey: pubkeyC, ChanId: chanC, Capacity: 1_000_000, LocalBalance: 500_000, RemoteBalance: 500_000, PeerAlias: alias(lookupNo)},
	}}, nil
}

func (l *lightning) GetNodeInfo(ctx context.Context, req *lnrpc.NodeInfoRequest) (*lnrpc.NodeInfo, error) {
	l.report(ctx, "GetNodeInfo", req)
	switch req.PubKey {
	case pubkeyA:
		return &lnrpc.NodeInfo{Node: &lnrpc.LightningNode{PubKey: pubkeyA, Alias: aliasA}}, nil
	case pubkeyB:
		return &lnrpc.NodeInfo{Node: &lnrpc.LightningNode{PubKey: pubkeyB, Alias: aliasB}}, nil
	}
	return nil, status.Error(codes.NotFound, "unable to find node")
}
