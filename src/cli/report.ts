/** The one place that turns a fatal error into a stderr line and an exit code. */
import { exitCodeFor, HtlcTailError } from '../errors.js';

export function reportFatal(err: unknown, debug: boolean): number {
  const code = exitCodeFor(err);
  if (err instanceof HtlcTailError) {
    process.stderr.write(`htlc-tail: ${oneLine(err.message)}\n`);
    if (debug && err.cause instanceof Error && err.cause.stack) process.stderr.write(`${err.cause.stack}\n`);
  } else {
    const msg = err instanceof Error ? err.message : String(err);
    process.stderr.write(`htlc-tail: internal error: ${oneLine(msg)} (this is a bug; run with --debug for details)\n`);
    if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  }
  return code;
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}
