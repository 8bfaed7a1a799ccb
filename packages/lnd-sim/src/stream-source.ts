/**
 * What one SubscribeHtlcEvents subscription receives, independent of the
 * transport: each server (grpc-js, h2, REST, WebSocket) wraps its
 * call in an EventSink and hands it to `runSubscription`.
 *
 * Order: lnd's subscribed_event first (unless the scenario emulates lnd < 0.16),
 * then, by the node's mode: the scenario's steps, or a flood of N events, or
 * the live traffic. Streams stay open until the client leaves or the node
 * ends them.
 */
import type { FloodMix } from './flood.js';
import type { SimNode } from './node-state.js';
import type { TrafficPump } from './pump.js';
import { stepsForConnection, type Scenario, type ScenarioStep } from './scenario.js';
import { TrafficGenerator } from './traffic.js';
import { fromProtoObject, subscribedEvent, type WireHtlcEvent } from './wire-event.js';

export interface EventSink {
  /** Queues one event (with its encoding, when the source has one). False: wait for drain before more. */
  send(event: WireHtlcEvent, encoded?: Buffer): boolean;
  /** Resolves when the consumer can take more, or the sink closed. */
  waitDrain(): Promise<void>;
  /** Ends the stream with an lnd error; `code` defaults to 2 (UNKNOWN). */
  fail(message: string, code?: number): void;
  /** Ends the stream normally (status OK). */
  end(): void;
  /** The client went away or the stream was ended. */
  readonly closed: boolean;
  /** Resolves when the sink closes. */
  readonly done: Promise<void>;
}

export interface SubscriptionContext {
  readonly node: SimNode;
  readonly seed: number;
  /** 0 for the node's first subscription, 1 for the next, ... */
  readonly connectionIndex: number;
  readonly scenario?: Scenario;
  readonly flood?: { readonly count: number; readonly mix: FloodMix };
  readonly traffic?: TrafficPump;
  readonly nowNs: () => bigint;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function runSteps(
  sink: EventSink,
  ctx: SubscriptionContext,
  steps: readonly ScenarioStep[],
  gen: () => TrafficGenerator,
): Promise<void> {
  for (const step of steps) {
    if (sink.closed) return;
    if ('send' in step) {
      if (!sink.send(fromProtoObject(step.send, ctx.nowNs()))) await sink.waitDrain();
    } else if ('sleep' in step) {
      await Promise.race([sleep(step.sleep), sink.done]);
    } else if ('error' in step) {
      sink.fail(step.error, step.code);
    } else if ('end' in step) {
      sink.end();
    } else if ('generate' in step) {
      // Written back to back, with no await in between: a true burst.
      const g = gen();
      for (let i = 0; i < step.generate && !sink.closed; i++) sink.send(g.next().event);
    } else if ('repeat' in step) {
      for (let i = 0; i < step.repeat && !sink.closed; i++) await runSteps(sink, ctx, step.steps, gen);
    }
  }
}

function joinTraffic(sink: EventSink, traffic: TrafficPump | undefined): Promise<void> {
  if (!traffic) return sink.done;
  const off = traffic.subscribe((e) => {
    if (!sink.closed) sink.send(e);
  });
  return sink.done.then(off);
}

/** Runs one subscription to its end (the sink closing). */
export async function runSubscription(sink: EventSink, ctx: SubscriptionContext): Promise<void> {
  const scenario = ctx.scenario;
  if (scenario?.subscribed !== false) sink.send(subscribedEvent());
  if (scenario) {
    let g: TrafficGenerator | undefined;
    const gen = () =>
      (g ??= new TrafficGenerator({
        seed: ctx.seed + 7919 * (ctx.connectionIndex + 1),
        node: ctx.node,
        startNs: ctx.nowNs(),
        rate: 200,
      }));
    await runSteps(sink, ctx, stepsForConnection(scenario, ctx.connectionIndex), gen);
    if (sink.closed) return;
    if (scenario.then === 'end') sink.end();
    else if (scenario.then === 'traffic') await joinTraffic(sink, ctx.traffic);
    else await sink.done;
    return;
  }
  if (ctx.flood) {
    const { count, mix } = ctx.flood;
    for (let i = 0; i < count && !sink.closed; i++) {
      const { event, bytes } = mix.item(i);
      if (!sink.send(event, bytes)) await sink.waitDrain();
    }
    await sink.done;
    return;
  }
  await joinTraffic(sink, ctx.traffic);
}
