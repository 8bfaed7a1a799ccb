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

/** The documented exit codes (SPEC, "Exit codes"): the one place their numbers are written. */
export const ExitCode = {
  OK: 0,
  /** A bug: anything that is not an HtlcTailError. */
  INTERNAL: 1,
  USAGE: 2,
  CONFIG: 3,
  CONNECTION: 4,
  REFUSED: 5,
  /** The stream ended and --no-reconnect was given. */
  STREAM_ENDED: 6,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

const EXIT_CODES: Readonly<Record<ErrorKind, ExitCode>> = {
  usage: ExitCode.USAGE,
  config: ExitCode.CONFIG,
  connection: ExitCode.CONNECTION,
  refused: ExitCode.REFUSED,
  'stream-ended': ExitCode.STREAM_ENDED,
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

/** The documented exit code for an error: 1 for anything that is not an HtlcTailError (a bug). */
export function exitCodeFor(err: unknown): ExitCode {
  if (err instanceof HtlcTailError) return EXIT_CODES[err.kind];
  return ExitCode.INTERNAL;
}

export const usageError = (msg: string) => new HtlcTailError('usage', msg);
export const configError = (msg: string, cause?: unknown) => new HtlcTailError('config', msg, { cause });
export const connectionError = (msg: string, cause?: unknown) => new HtlcTailError('connection', msg, { cause });
export const refusedError = (msg: string, cause?: unknown) => new HtlcTailError('refused', msg, { cause });
