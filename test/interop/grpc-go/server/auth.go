package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
)

// macaroonCheck is lnd's macaroon gate, reduced to what these tests need:
// exactly one `macaroon` metadata value, hex, equal to the expected file.
// The errors are plain Go errors with lnd's texts, so grpc-go answers them
// as status UNKNOWN, as it does for lnd. A refused stream never reaches its
// handler: grpc-go sends a trailers-only response.
type macaroonCheck struct {
	expected []byte
	out      *out
}

func (m *macaroonCheck) check(ctx context.Context, method string) error {
	md, _ := metadata.FromIncomingContext(ctx)
	values := md.Get("macaroon")
	var err error
	if len(values) != 1 {
		err = fmt.Errorf("expected 1 macaroon, got %d", len(values))
	} else if mac, decodeErr := hex.DecodeString(values[0]); decodeErr != nil {
		err = fmt.Errorf("unable to decode macaroon: %v", decodeErr)
	} else if !bytes.Equal(mac, m.expected) {
		err = fmt.Errorf("verification failed: signature mismatch after caveat verification")
	}
	if err != nil {
		m.out.emit(map[string]interface{}{"ev": "refused", "method": method, "error": err.Error()})
	}
	return err
}

func (m *macaroonCheck) stream(srv interface{}, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	if err := m.check(ss.Context(), info.FullMethod); err != nil {
		return err
	}
	return handler(srv, ss)
}

func (m *macaroonCheck) unary(ctx context.Context, req interface{}, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (interface{}, error) {
	if err := m.check(ctx, info.FullMethod); err != nil {
		return nil, err
	}
	return handler(ctx, req)
}
