/**
 * The subscription step: open SubscribeHtlcEvents and wait for lnd's first
 * answer (since v0.16 a subscribed_event right away; older nodes send nothing
 * until an HTLC moves) or a status, within the connect timeout; then cancel.
 */
import { classifyStatus, type ClassifyContext } from '../lnd/classify.js';
import { subscribeHtlcEvents, type HtlcConnection, type StreamStatus } from '../lnd/htlc-stream.js';
import type { LndTarget } from '../lnd/target.js';
import type { HtlcEvent } from '../events/model.js';
import { ExitCode, exitCodeFor } from '../errors.js';
import { fail, ok, warn, type StepOutcome } from './types.js';

export type FirstAnswer =
  | { readonly kind: 'event'; readonly event: HtlcEvent }
  | { readonly kind: 'status'; readonly status: StreamStatus }
  | { readonly kind: 'timeout'; readonly headers: boolean };

/** Subscribes the way the tail does (its own HTTP/2 connection) and closes again after the first answer. */
export function firstAnswer(target: LndTarget, timeoutMs: number): Promise<FirstAnswer> {
  return new Promise((resolve) => {
    let settled = false;
    let headers = false;
    let connection: HtlcConnection | undefined;
    const settle = (a: FirstAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      connection?.stream.cancel();
      connection?.close();
      resolve(a);
    };
    const timer = setTimeout(() => settle({ kind: 'timeout', headers }), timeoutMs);
    connection = subscribeHtlcEvents(target, {
      onHeaders: () => {
        headers = true;
      },
      onEvent: (event) => settle({ kind: 'event', event }),
      onEnd: (status) => settle({ kind: 'status', status }),
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
      if (a.status.code === 0) {
        return fail(ExitCode.REFUSED, `lnd at ${ctx.address} ended SubscribeHtlcEvents at once, without an event`, 'check lnd\'s log (is routerrpc enabled?)');
      }
      const cls = classifyStatus(a.status.code, a.status.details, ctx);
      // A stream that lnd ends while shutting down: lnd is going away, a connection problem here.
      const code = cls.error.kind === 'stream-ended' ? ExitCode.CONNECTION : exitCodeFor(cls.error);
      return fail(code, cls.error.message);
    }
  }
}
