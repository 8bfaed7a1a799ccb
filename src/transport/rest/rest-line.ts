/**
 * What one line of lnd's REST stream (or a WebSocket text frame, or a line of
 * a capture taken with curl) is. lnd's REST gateway (grpc-gateway with
 * protojson) writes, one JSON value per line:
 *
 * - `{"result": <HtlcEvent>}` for each message;
 * - `{"error": {"code": 2, "message": "...", "details": []}}` when the stream
 *   fails after it started;
 * - `{"code": 2, "message": "...", "details": []}` as the whole body of an
 *   HTTP error (a call refused before the stream started; on WebSocket this
 *   arrives as a text frame).
 *
 * Older gateways (grpc-gateway v1, lnd < 0.10) wrote errors as
 * `{"error": "text", "code": 2, "message": "text"}`; that form is accepted too.
 */

export type RestLine =
  | { readonly kind: 'blank' }
  /** The value under "result": an HtlcEvent for decodeJsonEvent. */
  | { readonly kind: 'result'; readonly value: unknown }
  /** lnd reported an error: gRPC status code and lnd's text. */
  | { readonly kind: 'error'; readonly code: number; readonly message: string }
  /** Valid JSON that is none of the above (e.g. a raw HtlcEvent, or something else entirely). */
  | { readonly kind: 'other'; readonly value: unknown }
  /** Not JSON. */
  | { readonly kind: 'invalid'; readonly reason: string };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A gRPC status from a `{code, message}` object, or undefined when it is not one. */
export function statusOf(v: unknown): { code: number; message: string } | undefined {
  if (!isObject(v)) return undefined;
  const code = v['code'];
  const message = v['message'] ?? v['error'];
  if (typeof code !== 'number' || !Number.isInteger(code)) return undefined;
  if (typeof message !== 'string') return undefined;
  return { code, message };
}

/** Classifies one parsed JSON value of the REST stream. */
export function classifyRestValue(v: unknown): RestLine {
  if (!isObject(v)) return { kind: 'other', value: v };
  if (Object.hasOwn(v, 'result')) {
    if (Object.hasOwn(v, 'error') && v['error'] !== null) {
      return { kind: 'other', value: v };
    }
    return { kind: 'result', value: v['result'] };
  }
  if (Object.hasOwn(v, 'error')) {
    const e = v['error'];
    const st = statusOf(e);
    if (st) return { kind: 'error', ...st };
    if (typeof e === 'string') {
      const code = typeof v['code'] === 'number' && Number.isInteger(v['code']) ? v['code'] : 2;
      return {
        kind: 'error',
        code,
        message: typeof v['message'] === 'string' && v['message'] !== '' ? v['message'] : e,
      };
    }
    if (isObject(e)) {
      const code = typeof e['code'] === 'number' && Number.isInteger(e['code']) ? e['code'] : 2;
      const message = typeof e['message'] === 'string' ? e['message'] : JSON.stringify(e);
      return { kind: 'error', code, message };
    }
    return { kind: 'other', value: v };
  }
  const st = statusOf(v);
  if (st && Object.keys(v).every((k) => k === 'code' || k === 'message' || k === 'details' || k === 'error')) {
    return { kind: 'error', ...st };
  }
  return { kind: 'other', value: v };
}

/** Classifies one line of text (without its newline). */
export function classifyRestLine(line: string): RestLine {
  if (line.trim() === '') return { kind: 'blank' };
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (e) {
    return { kind: 'invalid', reason: jsonErrorReason(e) };
  }
  return classifyRestValue(v);
}

/** A short reason for a JSON.parse failure, without echoing the (untrusted, possibly long) input. */
export function jsonErrorReason(e: unknown): string {
  let msg = e instanceof Error ? e.message : String(e);
  if (/Unexpected end of JSON input/i.test(msg)) return 'not JSON: it ends in the middle of a value (cut off?)';
  msg = msg
    .replace(/, ".*" is not valid JSON$/s, '')
    .replace(/ (?:in JSON )?at position (\d+).*$/s, (_m, p: string) => ` at column ${Number(p) + 1}`);
  if (msg.length > 100) msg = msg.slice(0, 100) + '…';
  msg = safeText(msg);
  return `not JSON (${msg.charAt(0).toLowerCase()}${msg.slice(1)})`;
}

/** Makes untrusted text safe for a terminal line: control characters and bidi overrides escaped. */
export function safeText(s: string): string {
  return s.replace(
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g,
    (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'),
  );
}
