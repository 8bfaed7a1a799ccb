package main

import (
	"fmt"
	"sync"
	"sync/atomic"

	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"

	"htlctail/routerrpc"
)

// lnd's text for a subscription that ends because lnd shuts down.
const shutdownText = "htlc event subscription terminated"

type command struct {
	name string
	n    int
	err  error
}

type subscription struct {
	id   int
	cmds chan command
	sent int64 // HtlcEvents sent after the subscribed event (atomic)
}

// router serves routerrpc.Router/SubscribeHtlcEvents: the subscribed event
// first, as lnd does (v0.16+), then whatever the commands ask for.
type router struct {
	routerrpc.UnimplementedRouterServer
	out    *out
	mu     sync.Mutex
	count  int
	open   map[int]*subscription
	newest *subscription
}

func newRouter(o *out) *router {
	return &router{out: o, open: map[int]*subscription{}}
}

// The JSON lnd's REST gateway writes for a message: proto names, every field.
var restJSON = protojson.MarshalOptions{UseProtoNames: true, EmitUnpopulated: true}

func (r *router) command(c command) {
	r.mu.Lock()
	s := r.newest
	r.mu.Unlock()
	if s == nil {
		r.out.emit(map[string]interface{}{"ev": "no-stream", "command": c.name})
		return
	}
	s.cmds <- c
}

func (r *router) sentByNewest() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.newest == nil {
		return 0
	}
	return atomic.LoadInt64(&r.newest.sent)
}

// terminateAll ends every open subscription with lnd's shutdown text once the
// sends already asked for are done.
func (r *router) terminateAll() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.open {
		s.cmds <- command{name: "terminate"}
	}
}

func first(md metadata.MD, key string) string {
	if v := md.Get(key); len(v) > 0 {
		return v[0]
	}
	return ""
}

func (r *router) SubscribeHtlcEvents(_ *routerrpc.SubscribeHtlcEventsRequest, stream routerrpc.Router_SubscribeHtlcEventsServer) error {
	ctx := stream.Context()
	r.mu.Lock()
	r.count++
	s := &subscription{id: r.count, cmds: make(chan command, 16)}
	r.open[s.id] = s
	r.newest = s
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		delete(r.open, s.id)
		if r.newest == s {
			r.newest = nil
		}
		r.mu.Unlock()
	}()

	end := func(err error) error {
		st := status.Convert(err)
		r.out.emit(map[string]interface{}{"ev": "stream-end", "stream": s.id, "code": int(st.Code()), "message": st.Message(), "sent": atomic.LoadInt64(&s.sent)})
		return err
	}
	if err := stream.Send(subscribedEvent()); err != nil {
		return end(err)
	}
	md, _ := metadata.FromIncomingContext(ctx)
	p, _ := peer.FromContext(ctx)
	r.out.emit(map[string]interface{}{"ev": "subscribed", "stream": s.id, "peer": p.Addr.String(),
		"authority": first(md, ":authority"), "user_agent": first(md, "user-agent")})
	for {
		select {
		case <-ctx.Done():
			return end(ctx.Err())
		case c := <-s.cmds:
			if err, finished := r.run(stream, s, c); finished {
				return end(err)
			}
		}
	}
}

// run carries out one command; finished says the stream ends with err.
func (r *router) run(stream routerrpc.Router_SubscribeHtlcEventsServer, s *subscription, c command) (err error, finished bool) {
	switch c.name {
	case "events":
		for _, ev := range realisticEvents() {
			if err := stream.Send(ev); err != nil {
				return err, true
			}
			atomic.AddInt64(&s.sent, 1)
			js, err := restJSON.Marshal(ev)
			if err != nil {
				return err, true
			}
			r.out.emit(map[string]interface{}{"ev": "sent", "stream": s.id, "event": rawJSON(js)})
		}
	case "burst":
		base := nowNs()
		for i := 1; i <= c.n; i++ {
			if err := stream.Send(burstEvent(i, base)); err != nil {
				return err, true
			}
			atomic.AddInt64(&s.sent, 1)
		}
		r.out.emit(map[string]interface{}{"ev": "burst-done", "stream": s.id, "count": c.n})
	case "error":
		return c.err, true
	case "end":
		return nil, true
	case "terminate":
		return fmt.Errorf(shutdownText), true
	}
	return nil, false
}
