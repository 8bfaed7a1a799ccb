/**
 * routerrpc.Router/SubscribeHtlcEvents on a raw grpc-js call: each message's
 * bytes are normalized straight into the event model (events/decode-wire),
 * with no proto-loader objects on the hot path.
 *
 * Reading is explicit: one message is requested at a time, so pausing (when
 * stdout cannot keep up) stops reading from the HTTP/2 stream and flow control
 * pushes back on lnd instead of buffering without bound. grpc-js reports the
 * final status only after every message before it has been read, so no event
 * that lnd sent before an error status is lost (the high-level stream API can
 * drop them: grpc-node issue 2764).
 */
import type { GrpcModule } from './protos.js';
import { macaroonMetadata, type LndChannel } from './channel.js';
import type { LndTarget } from './target.js';
import { decodeHtlcEventWire } from '../events/decode-wire.js';
import type { HtlcEvent } from '../events/model.js';

export const SUBSCRIBE_HTLC_EVENTS = '/routerrpc.Router/SubscribeHtlcEvents';

export interface StreamStatus {
  readonly code: number;
  readonly details: string;
}

export interface StreamHandlers {
  /** Called for each event, in order. */
  onEvent(ev: HtlcEvent): void;
  /** lnd answered (response headers): the subscription is accepted so far. */
  onHeaders?(): void;
  /** Called once, after the last event: code 0 for a normal end. */
  onEnd(status: StreamStatus): void;
}

export interface HtlcStream {
  pause(): void;
  resume(): void;
  cancel(): void;
}

const EMPTY_REQUEST = Buffer.alloc(0);

export function subscribeHtlcEvents(
  grpc: GrpcModule,
  channel: LndChannel,
  target: LndTarget,
  handlers: StreamHandlers,
): HtlcStream {
  const call = channel.createCall(SUBSCRIBE_HTLC_EVENTS, Infinity, null, null, null);
  let paused = false;
  let done = false;
  let cancelled = false;
  let readWanted = false;
  let depth = 0;
  let again = false;

  const read = (): void => {
    if (done || cancelled) return;
    if (paused) {
      readWanted = true;
      return;
    }
    if (depth > 0) {
      // Inside a message delivered synchronously by startRead: the loop below asks again.
      again = true;
      return;
    }
    depth++;
    try {
      do {
        again = false;
        call.startRead();
      } while (again && !paused && !done);
    } finally {
      depth--;
    }
  };

  const finish = (status: StreamStatus): void => {
    if (done) return;
    done = true;
    handlers.onEnd(status);
  };

  call.start(macaroonMetadata(grpc, target.macaroon), {
    onReceiveMetadata() {
      handlers.onHeaders?.();
    },
    onReceiveMessage(message: Buffer) {
      if (done || cancelled) return;
      let ev: HtlcEvent;
      try {
        ev = decodeHtlcEventWire(message);
      } catch (err) {
        const details = `lnd sent an HtlcEvent that cannot be decoded (${(err as Error).message})`;
        finish({ code: grpc.status.INTERNAL, details });
        call.cancelWithStatus(grpc.status.CANCELLED, 'undecodable message');
        return;
      }
      handlers.onEvent(ev);
      read();
    },
    onReceiveStatus(status: { code: number; details: string }) {
      finish({ code: status.code, details: status.details });
    },
  });
  call.sendMessageWithContext({}, EMPTY_REQUEST);
  call.halfClose();
  read();

  return {
    pause() {
      paused = true;
    },
    resume() {
      if (!paused) return;
      paused = false;
      if (readWanted) {
        readWanted = false;
        read();
      }
    },
    cancel() {
      // onReceiveStatus follows with CANCELLED and ends the stream through onEnd.
      if (done || cancelled) return;
      cancelled = true;
      call.cancelWithStatus(grpc.status.CANCELLED, 'Cancelled on client');
    },
  };
}
