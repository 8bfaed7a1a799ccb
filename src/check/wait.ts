/**
 * `check --wait`: like the tail's --wait, keep trying until lnd is reachable,
 * unlocked and ready, with one stderr line per change of state (not one per
 * try), then print the report of the try that found it ready (or that found
 * something waiting cannot fix: a wrong cert, a refused macaroon, a config
 * error). Ctrl-C or SIGTERM while waiting stops it: the last try's report is
 * printed, with its exit code.
 *
 * What waiting can fix: the TCP step failing (nothing listens yet), a TLS
 * probe failing for the same reason, and the "lnd ready" step failing or
 * warning (wallet locked or not created, lnd still starting, RPC server not
 * active yet).
 */
import { backoffDelay } from '../transport/backoff.js';
import { ProbeError } from '../transport/tls-probe.js';
import { runSteps, type RunHooks } from './runner.js';
import type { Step, StepReport } from './types.js';

/** Why waiting may help (a line for stderr), or undefined when the report is final. */
export function waitReason(reports: readonly StepReport[], errors: ReadonlyMap<string, unknown>): string | undefined {
  const first = reports.find((r) => r.status === 'fail');
  const ready = reports.find((r) => r.id === 'lnd ready');
  if (first === undefined) {
    return ready?.status === 'warn' && /RPC_ACTIVE/.test(ready.detail) ? `lnd: ${ready.detail}` : undefined;
  }
  switch (first.id) {
    case 'tcp':
      return first.detail;
    case 'tls': {
      const e = errors.get('tls');
      return e instanceof ProbeError && e.retryable ? first.detail : undefined;
    }
    case 'lnd ready':
      return `lnd: ${first.detail}`;
    default:
      return undefined;
  }
}

export interface WaitOptions<C extends { close(): void }> {
  readonly steps: readonly Step<C>[];
  /** A fresh context for each try. */
  readonly makeRun: () => C;
  readonly notify: (msg: string) => void;
  readonly onError?: RunHooks['onError'];
  readonly random?: () => number;
}

/** Tries until the report is final; returns it with its context (still open: the caller closes it). */
export async function checkWhenReady<C extends { close(): void }>(
  o: WaitOptions<C>,
): Promise<{ reports: StepReport[]; run: C }> {
  let stopped = false;
  let wake: (() => void) | undefined;
  const stop = () => {
    stopped = true;
    wake?.();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  let last = '';
  try {
    for (let attempt = 0; ; attempt++) {
      const run = o.makeRun();
      const errors = new Map<string, unknown>();
      const reports = await runSteps(o.steps, run, {
        onError: (id, err) => {
          errors.set(id, err);
          o.onError?.(id, err);
        },
      });
      const reason = waitReason(reports, errors);
      if (reason === undefined || stopped) return { reports, run };
      run.close();
      if (stopped) return { reports, run };
      const ms = backoffDelay(attempt, o.random);
      if (reason !== last) o.notify(`waiting for lnd (--wait): ${reason}; next try in ${(ms / 1000).toFixed(1)} s`);
      last = reason;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wake = undefined;
      if (stopped) return { reports, run };
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
