/**
 * Secret bytes (a macaroon from an lndconnect URI) stay a plain Buffer, so the
 * lnd layer can use them as is, but they never show up when the resolved
 * config is inspected, logged with --debug, or turned into JSON.
 */
import { inspect } from 'node:util';

const REDACTED = '[macaroon bytes redacted]';

/** Marks a Buffer as secret: `util.inspect`, `console.log` and `JSON.stringify` print a placeholder instead of its bytes. */
export function redacted(buf: Buffer): Buffer {
  Object.defineProperty(buf, inspect.custom, { value: () => REDACTED, enumerable: false });
  Object.defineProperty(buf, 'toJSON', { value: () => REDACTED, enumerable: false });
  return buf;
}
