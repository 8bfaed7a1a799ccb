// Command server is htlc-tail's interop test server: lnd's own gRPC stack
// (grpc-go, as packaged by Debian) serving routerrpc.Router/SubscribeHtlcEvents
// and the unary lnrpc.Lightning calls htlc-tail makes (GetInfo, ListChannels,
// GetNodeInfo), over TLS with a self-signed ECDSA P-256 cert made the way lnd
// makes its own, and a macaroon check in real grpc-go interceptors that answers
// with lnd's error texts.
//
// It is driven by the test harness (test/interop/go-server.ts):
//
//   - stdout: one JSON object per line for everything a test may check
//     ("listening", "conn", "ping", "goaway", "trailers-only", "subscribed",
//     "sent", "burst-done", "stream-end", "unary", "refused", "graceful-stop",
//     "stopped"). Macaroon bytes are never printed.
//   - stdin: one command per line for the newest open subscription:
//     "events" (a fixed set of realistic HtlcEvents, each reported as "sent"),
//     "burst N" (N forward events, htlc ids 1..N), "error CODE MESSAGE" (end
//     the stream with that status), "end" (status OK), "graceful-stop"
//     (GracefulStop; open streams end with lnd's shutdown text once their
//     queued sends are done). EOF on stdin stops the server at once.
//
// Generated code (lnrpc, routerrpc) is made from the repository's protos at
// build time; see test/interop/go-server.ts.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/keepalive"
	"google.golang.org/grpc/status"

	"htlctail/lnrpc"
	"htlctail/routerrpc"
)

// out writes the JSON lines of stdout, one at a time.
type out struct {
	mu    sync.Mutex
	w     *bufio.Writer
	start time.Time
}

// emit writes one line; "ms" is the time since the server started.
func (o *out) emit(fields map[string]interface{}) {
	fields["ms"] = time.Since(o.start).Milliseconds()
	line, err := json.Marshal(fields)
	if err != nil {
		line = []byte(fmt.Sprintf(`{"ev":"bug","error":%q}`, err.Error()))
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.w.Write(line)
	o.w.WriteByte('\n')
	o.w.Flush()
}

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on (e.g. [::1]:0)")
	tlsDir := flag.String("tlsdir", "", "directory to write tls.cert and tls.key into")
	macaroonPath := flag.String("macaroon", "", "the macaroon file every call must carry")
	keepaliveMode := flag.String("keepalive", "grpc-default", "grpc-default (MinTime 5 min, no pings without a stream) or lnd (lnd >= 0.17: MinTime 5 s, pings without a stream allowed, server pings every minute)")
	flag.Parse()

	o := &out{w: bufio.NewWriter(os.Stdout), start: time.Now()}
	fail := func(format string, a ...interface{}) {
		fmt.Fprintf(os.Stderr, "interop server: "+format+"\n", a...)
		os.Exit(2)
	}
	if *tlsDir == "" || *macaroonPath == "" {
		fail("-tlsdir and -macaroon are required")
	}
	expected, err := os.ReadFile(*macaroonPath)
	if err != nil {
		fail("%v", err)
	}
	certPath, keyPath, err := writeLndCert(*tlsDir)
	if err != nil {
		fail("writing the certificate: %v", err)
	}
	creds, err := sniffingTLS(certPath, keyPath, o)
	if err != nil {
		fail("loading the certificate: %v", err)
	}

	auth := &macaroonCheck{expected: expected, out: o}
	opts := []grpc.ServerOption{
		grpc.Creds(creds),
		grpc.StreamInterceptor(auth.stream),
		grpc.UnaryInterceptor(auth.unary),
	}
	switch *keepaliveMode {
	case "grpc-default":
		// grpc-go's defaults: EnforcementPolicy{MinTime: 5 * time.Minute, PermitWithoutStream: false}.
	case "lnd":
		opts = append(opts,
			grpc.KeepaliveParams(keepalive.ServerParameters{Time: time.Minute, Timeout: 20 * time.Second}),
			grpc.KeepaliveEnforcementPolicy(keepalive.EnforcementPolicy{MinTime: 5 * time.Second, PermitWithoutStream: true}),
		)
	default:
		fail("unknown -keepalive %q", *keepaliveMode)
	}
	srv := grpc.NewServer(opts...)
	router := newRouter(o)
	routerrpc.RegisterRouterServer(srv, router)
	lnrpc.RegisterLightningServer(srv, &lightning{out: o})

	lis, err := net.Listen("tcp", *listen)
	if err != nil {
		fail("listen %s: %v", *listen, err)
	}
	addr := lis.Addr().(*net.TCPAddr)
	o.emit(map[string]interface{}{"ev": "listening", "addr": addr.String(), "port": addr.Port, "cert": certPath, "keepalive": *keepaliveMode})
	go func() {
		if err := srv.Serve(lis); err != nil {
			o.emit(map[string]interface{}{"ev": "serve-error", "error": err.Error()})
		}
	}()

	commands(o, srv, router)
}

// commands reads stdin until EOF, then stops the server.
func commands(o *out, srv *grpc.Server, router *router) {
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		line := strings.TrimSpace(in.Text())
		if line == "" {
			continue
		}
		name, rest := line, ""
		if i := strings.IndexByte(line, ' '); i >= 0 {
			name, rest = line[:i], strings.TrimSpace(line[i+1:])
		}
		switch name {
		case "events", "end":
			router.command(command{name: name})
		case "burst":
			n, err := strconv.Atoi(rest)
			if err != nil || n < 1 {
				o.emit(map[string]interface{}{"ev": "bad-command", "line": line})
				continue
			}
			router.command(command{name: name, n: n})
		case "error":
			parts := strings.SplitN(rest, " ", 2)
			code, err := strconv.Atoi(parts[0])
			if err != nil || len(parts) != 2 {
				o.emit(map[string]interface{}{"ev": "bad-command", "line": line})
				continue
			}
			router.command(command{name: name, err: status.Error(codes.Code(code), parts[1])})
		case "status":
			o.emit(map[string]interface{}{"ev": "status", "sent": router.sentByNewest()})
		case "graceful-stop":
			o.emit(map[string]interface{}{"ev": "graceful-stop", "sent": router.sentByNewest()})
			router.terminateAll()
			go func() {
				srv.GracefulStop()
				o.emit(map[string]interface{}{"ev": "stopped"})
				os.Exit(0)
			}()
		default:
			o.emit(map[string]interface{}{"ev": "bad-command", "line": line})
		}
	}
	srv.Stop()
}
