package main

import (
	"encoding/binary"
	"net"
	"sync"
	"sync/atomic"

	"google.golang.org/grpc/credentials"
)

// HTTP/2 frame types and flags the sniffer reports on (RFC 7540, section 6).
const (
	frameHeaders   = 0x1
	frameRstStream = 0x3
	framePing      = 0x6
	frameGoaway    = 0x7
	flagEndStream  = 0x1
	flagAck        = 0x1
	clientPreface  = len("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
)

// sniffCreds is grpc-go's TLS credentials with each connection's plaintext
// HTTP/2 frames watched in both directions, so a test can see what grpc-go
// itself cannot report: the client's keepalive PINGs, the GOAWAY grpc-go sends
// (e.g. ENHANCE_YOUR_CALM "too_many_pings") and trailers-only responses.
type sniffCreds struct {
	credentials.TransportCredentials
	out   *out
	conns *uint64
}

func sniffingTLS(certPath, keyPath string, o *out) (credentials.TransportCredentials, error) {
	tls, err := credentials.NewServerTLSFromFile(certPath, keyPath)
	if err != nil {
		return nil, err
	}
	return &sniffCreds{TransportCredentials: tls, out: o, conns: new(uint64)}, nil
}

func (c *sniffCreds) Clone() credentials.TransportCredentials {
	return &sniffCreds{TransportCredentials: c.TransportCredentials.Clone(), out: c.out, conns: c.conns}
}

func (c *sniffCreds) ServerHandshake(raw net.Conn) (net.Conn, credentials.AuthInfo, error) {
	peer := raw.RemoteAddr().String()
	conn, info, err := c.TransportCredentials.ServerHandshake(raw)
	if err != nil {
		c.out.emit(map[string]interface{}{"ev": "handshake-failed", "peer": peer, "error": err.Error()})
		return nil, nil, err
	}
	id := atomic.AddUint64(c.conns, 1)
	c.out.emit(map[string]interface{}{"ev": "conn", "conn": id, "peer": peer})
	headersSent := map[uint32]bool{}
	in := &frameSniffer{skip: clientPreface, onFrame: func(typ, flags byte, stream uint32, payload []byte) {
		switch {
		case typ == framePing && flags&flagAck == 0:
			c.out.emit(map[string]interface{}{"ev": "ping", "conn": id, "peer": peer})
		case typ == frameRstStream && len(payload) >= 4:
			c.out.emit(map[string]interface{}{"ev": "rst", "conn": id, "peer": peer, "stream": stream, "code": binary.BigEndian.Uint32(payload)})
		}
	}}
	out := &frameSniffer{onFrame: func(typ, flags byte, stream uint32, payload []byte) {
		switch typ {
		case frameGoaway:
			if len(payload) >= 8 {
				c.out.emit(map[string]interface{}{"ev": "goaway", "conn": id, "peer": peer,
					"code": binary.BigEndian.Uint32(payload[4:8]), "debug": string(payload[8:])})
			}
		case frameHeaders:
			if !headersSent[stream] && flags&flagEndStream != 0 {
				c.out.emit(map[string]interface{}{"ev": "trailers-only", "conn": id, "peer": peer, "stream": stream})
			}
			headersSent[stream] = true
		}
	}}
	return &sniffConn{Conn: conn, in: in, out: out}, info, nil
}

type sniffConn struct {
	net.Conn
	in, out *frameSniffer
}

func (c *sniffConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.in.feed(p[:n])
	return n, err
}

func (c *sniffConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.out.feed(p[:n])
	return n, err
}

// frameSniffer splits a byte stream into HTTP/2 frames, keeping the payloads
// of control frames only (DATA is counted through, not copied).
type frameSniffer struct {
	mu        sync.Mutex
	skip      int // bytes of the client connection preface still to pass
	header    []byte
	inFrame   bool
	typ       byte
	flags     byte
	stream    uint32
	remaining int
	keep      bool
	payload   []byte
	onFrame   func(typ, flags byte, stream uint32, payload []byte)
}

func minInt(a, b int) int {
	if a < b {
		return a
	}
	return b
}

func (s *frameSniffer) feed(p []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(p) > 0 {
		if s.skip > 0 {
			n := minInt(s.skip, len(p))
			p, s.skip = p[n:], s.skip-n
			continue
		}
		if s.inFrame {
			n := minInt(s.remaining, len(p))
			if s.keep {
				s.payload = append(s.payload, p[:n]...)
			}
			p, s.remaining = p[n:], s.remaining-n
			if s.remaining == 0 {
				s.done()
			}
			continue
		}
		n := minInt(9-len(s.header), len(p))
		s.header = append(s.header, p[:n]...)
		p = p[n:]
		if len(s.header) < 9 {
			continue
		}
		h := s.header
		s.remaining = int(h[0])<<16 | int(h[1])<<8 | int(h[2])
		s.typ, s.flags = h[3], h[4]
		s.stream = binary.BigEndian.Uint32(h[5:9]) & 0x7fffffff
		s.keep = s.typ != 0x0 // everything but DATA
		s.header = s.header[:0]
		s.inFrame = true
		if s.remaining == 0 {
			s.done()
		}
	}
}

func (s *frameSniffer) done() {
	s.inFrame = false
	s.onFrame(s.typ, s.flags, s.stream, s.payload)
	s.payload = s.payload[:0]
}
