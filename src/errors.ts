/**
 * Errors that end the process, and the exit-code contract (SPEC, "Exit codes"),
 * computed by one pure function.
 */

export type ErrorKind =
  | 'usage' // 2: unknown option, bad value, conflicting options
  | 'config' // 3: a file missing, unreadable or malformed
  | 'connection' // 4: unreachable, TLS, timeout
  | 'refused' // 5: refused by lnd
  | 'stream-ended'; // 6: stream ended and --no-reconnect

const EXIT_CODES: Readonly<Record<ErrorKind, number>> = {
  usage: 2,
  config: 3,
  connection: 4,
  refused: 5,
  'stream-ended': 6,
};

/**
 * An expected failure: its message is one line for the user that says what
 * failed (naming the file, address or option) and what to do next. It never
 * holds a secret.
 */
export class HtlcTailError extends Error {
  readonly kind: ErrorKind;
  constructor(kind: ErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
    this.name = 'HtlcTailError';
  }
}

export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;

/** The documented exit code for an error: 1 for anything that is not an HtlcTailError (a bug). */
export function exitCodeFor(err: unknown): number {
  if (err instanceof HtlcTailError) return EXIT_CODES[err.kind];
  return EXIT_INTERNAL;
}

export const usageError = (msg: string) => new HtlcTailError('usage', msg);
export const configError = (msg: string, cause?: unknown) => new HtlcTailError('config', msg, { cause });
export const connectionError = (msg: string, cause?: unknown) => new HtlcTailError('connection', msg, { cause });
export const refusedError = (msg: string, cause?: unknown) => new HtlcTailError('refused', msg, { cause });
