/**
 * The part of a REST/WebSocket subscription that does not depend on the
 * framing: each line of lnd's stream, in order, becomes an event or the final
 * status. Shared by the chunked HTTP stream and the WebSocket, so both treat
 * every kind of line the same way.
 */
import { decodeJsonEvent } from '../../codec/raw/decode.js';
import type { HtlcEvent } from '../../events/model.js';
import { GrpcCode, type StreamStatus } from '../status.js';
import { classifyRestLine, safeText } from './rest-line.js';

export type LineOutcome =
  | { readonly kind: 'event'; readonly event: HtlcEvent }
  | { readonly kind: 'skip' }
  /** The stream is over with this status (an error line, or a line that cannot be an event). */
  | { readonly kind: 'end'; readonly status: StreamStatus };

export function streamLine(line: string): LineOutcome {
  const c = classifyRestLine(line);
  switch (c.kind) {
    case 'blank':
      return { kind: 'skip' };
    case 'result':
      try {
        return { kind: 'event', event: decodeJsonEvent(c.value) };
      } catch (e) {
        return {
          kind: 'end',
          status: {
            code: GrpcCode.INTERNAL,
            details: `lnd sent an HtlcEvent that cannot be decoded (${safeText((e as Error).message)})`,
            cause: 'undecodable',
          },
        };
      }
    case 'error':
      return { kind: 'end', status: { code: c.code, details: c.message } };
    case 'invalid':
      return {
        kind: 'end',
        status: {
          code: GrpcCode.INTERNAL,
          details: `the REST stream sent a line that is ${c.reason}`,
          cause: 'undecodable',
        },
      };
    case 'other':
      return {
        kind: 'end',
        status: {
          code: GrpcCode.INTERNAL,
          details: 'the REST stream sent a line that is neither {"result": ...} nor {"error": ...}',
          cause: 'undecodable',
        },
      };
  }
}
