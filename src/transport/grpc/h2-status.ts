/**
 * gRPC's statuses over HTTP/2, for the stream and the unary calls alike:
 * grpc-status/grpc-message from trailers (or a trailers-only answer), and
 * gRPC's mapping of an HTTP status or an RST_STREAM code when no grpc-status
 * came. Pure.
 */
import http2 from 'node:http2';
import { GrpcCode, type StreamStatus } from '../status.js';

/** gRPC's mapping of an HTTP status (when no grpc-status came). */
export function codeForHttpStatus(status: number): number {
  switch (status) {
    case 400:
      return GrpcCode.INTERNAL;
    case 401:
      return GrpcCode.UNAUTHENTICATED;
    case 403:
      return GrpcCode.PERMISSION_DENIED;
    case 404:
      return GrpcCode.UNIMPLEMENTED;
    case 429:
    case 502:
    case 503:
    case 504:
      return GrpcCode.UNAVAILABLE;
    default:
      return GrpcCode.UNKNOWN;
  }
}

/** gRPC's mapping of an HTTP/2 RST_STREAM error code. */
export function codeForReset(rst: number): number {
  const c = http2.constants;
  if (rst === c.NGHTTP2_REFUSED_STREAM) return GrpcCode.UNAVAILABLE;
  if (rst === c.NGHTTP2_CANCEL) return GrpcCode.CANCELLED;
  if (rst === c.NGHTTP2_ENHANCE_YOUR_CALM) return GrpcCode.RESOURCE_EXHAUSTED;
  if (rst === c.NGHTTP2_INADEQUATE_SECURITY) return GrpcCode.PERMISSION_DENIED;
  return GrpcCode.INTERNAL;
}

/** grpc-message is percent-encoded; a malformed one is shown as sent. */
export function decodeGrpcMessage(v: string | string[] | undefined): string {
  const s = Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
  let text: string;
  try {
    text = decodeURIComponent(s);
  } catch {
    text = s;
  }
  // The node's text goes to a terminal: no control characters but newline and tab.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?');
}

/** The final status a header block carries (trailers, or a trailers-only answer), if any. */
export function statusOfHeaders(h: http2.IncomingHttpHeaders): StreamStatus | undefined {
  const raw = h['grpc-status'];
  if (raw === undefined) return undefined;
  const code = Number(Array.isArray(raw) ? raw[0] : raw);
  return {
    code: Number.isInteger(code) && code >= 0 ? code : GrpcCode.UNKNOWN,
    details: decodeGrpcMessage(h['grpc-message']),
  };
}

/** Response headers that are not a gRPC answer (an HTTP status other than 200, another content-type): the status to end with. */
export function statusOfNonGrpcResponse(h: http2.IncomingHttpHeaders): StreamStatus | undefined {
  const status = Number(h[http2.constants.HTTP2_HEADER_STATUS]);
  if (status !== 200) return { code: codeForHttpStatus(status), details: `Received HTTP status code ${status}` };
  const type = String(h['content-type'] ?? '');
  if (!type.startsWith('application/grpc')) {
    return { code: GrpcCode.UNKNOWN, details: `unexpected content-type "${type}": is that lnd's gRPC port?` };
  }
  return undefined;
}

/** A GOAWAY lnd sent: its code and its debug text (printable ASCII, at most 200 characters). */
export interface Goaway {
  readonly code: number;
  readonly debug: string;
}

export function goawayOf(code: number, data: Buffer | undefined): Goaway {
  return { code, debug: (data?.toString('latin1') ?? '').replace(/[^\x20-\x7e]/g, '?').slice(0, 200) };
}

/** A GOAWAY ENHANCE_YOUR_CALM "too_many_pings": grpc-go's keepalive enforcement (lnd before 0.17). */
export function tooManyPings(g: Goaway): boolean {
  return g.code === http2.constants.NGHTTP2_ENHANCE_YOUR_CALM && g.debug === 'too_many_pings';
}

/** What a lost connection is reported as: the GOAWAY that announced it, if one did. */
export function lostStatus(goaway: Goaway | undefined, fallback: string): StreamStatus {
  if (!goaway || goaway.code === http2.constants.NGHTTP2_NO_ERROR)
    return { code: GrpcCode.UNAVAILABLE, details: fallback, cause: 'lost' };
  const details = `connection lost: lnd sent GOAWAY ${goaway.code}${goaway.debug ? ` (${goaway.debug})` : ''}`;
  return { code: GrpcCode.UNAVAILABLE, details, cause: tooManyPings(goaway) ? 'pings' : 'lost' };
}

/** A Node error as status text: `ECONNRESET read ECONNRESET`. */
export function errorText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return [err?.code, err?.message].filter((x) => x).join(' ') || String(e);
}
