/**
 * The subscription step: open SubscribeHtlcEvents the way the tail does (its
 * own HTTP/2 connection, every step of connecting bounded by the stream
 * itself and named when it does not finish) and wait for lnd's first answer
 * (since v0.16 a subscribed_event right away; older nodes send nothing until
 * an HTLC moves) or a status; then cancel.
 *
 * Two bounds, one after the other, so neither depends on which timer was
 * made first: the stream bounds connecting up to lnd's response headers
 * (--connect-timeout); once lnd accepted the call, this step waits the same
 * time again for the first answer.
 */
import { classifyStreamStatus, type ClassifyContext } from '../transport/classify.js';
import { subscribeHtlcEvents } from '../transport/grpc/htlc-stream.js';
import { GrpcCode, type StreamStatus } from '../transport/status.js';
import type { HtlcConnection } from '../transport/stream.js';
import type { LndTarget } from '../transport/target.js';
import type { HtlcEvent } from '../events/model.js';
import { ExitCode, exitCodeFor } from '../errors.js';
import { fail, ok, warn, type StepOutcome } from './types.js';

export type FirstAnswer =
  | { readonly kind: 'event'; readonly event: HtlcEvent }
  /** `headers`: lnd had accepted the call before it ended it. */
  | { readonly kind: 'status'; readonly status: StreamStatus; readonly headers?: boolean }
  | { readonly kind: 'timeout'; readonly headers: boolean };

/** Subscribes and closes again after the first answer. */
export function firstAnswer(target: LndTarget, timeoutMs: number): Promise<FirstAnswer> {
  return new Promise((resolve) => {
    let settled = false;
    let headers = false;
    let timer: NodeJS.Timeout | undefined;
    let connection: HtlcConnection | undefined;
    const settle = (a: FirstAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      connection?.stream.cancel();
      connection?.close();
      resolve(a);
    };
    connection = subscribeHtlcEvents(target, {
      onHeaders: () => {
        headers = true;
        timer = setTimeout(() => settle({ kind: 'timeout', headers: true }), timeoutMs);
      },
      onEvent: (event) => settle({ kind: 'event', event }),
      // No response headers within the connect timeout: accepted by TCP, TLS and HTTP/2, but unanswered.
      onEnd: (status) =>
        settle(
          status.cause === 'timeout' && status.step === 'answer'
            ? { kind: 'timeout', headers: false }
            : { kind: 'status', status, headers },
        ),
    });
    if (settled) {
      connection.stream.cancel();
      connection.close();
    }
  });
}

/** The step's outcome for lnd's first answer. */
export function subscriptionOutcome(a: FirstAnswer, ctx: ClassifyContext, timeoutMs: number): StepOutcome {
  switch (a.kind) {
    case 'event':
      return a.event.event === 'subscribed'
        ? ok('SubscribeHtlcEvents accepted: lnd sent subscribed_event')
        : ok(`SubscribeHtlcEvents accepted: first event ${a.event.event} (lnd before 0.16 sends no subscribed_event)`);
    case 'timeout':
      return warn(
        `SubscribeHtlcEvents not refused, but no answer within ${timeoutMs / 1000} s${a.headers ? ' (lnd accepted the call)' : ''}`,
        'lnd before 0.16 sends nothing until an HTLC moves; a newer lnd answers at once, so check its log, or raise --connect-timeout',
      );
    case 'status': {
      if (a.status.code === GrpcCode.OK) {
        return fail(
          ExitCode.REFUSED,
          `lnd at ${ctx.address} ended SubscribeHtlcEvents at once, without an event`,
          "check lnd's log (is routerrpc enabled?)",
        );
      }
      const cls = classifyStreamStatus(a.status, ctx, a.headers === true);
      // A stream that lnd ends while shutting down: lnd is going away, a connection problem here.
      const code = cls.error.kind === 'stream-ended' ? ExitCode.CONNECTION : exitCodeFor(cls.error);
      return fail(code, cls.error.message);
    }
  }
}
