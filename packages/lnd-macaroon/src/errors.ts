/**
 * The one error type of the macaroon library. Messages say what is wrong with
 * the data's structure; they never contain the macaroon's bytes, hex or any
 * part of its secret signature.
 */
export class MacaroonError extends Error {
  override name = 'MacaroonError';
}
