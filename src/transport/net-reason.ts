/**
 * Connection failures in a few words: Node's errno codes (ECONNREFUSED, …)
 * as an operator says them. Pure; used by every message about a connection
 * (classify.ts, tls-probe.ts, dial.ts, check).
 */

/** The first line of a text, trimmed. */
function firstLine(s: string): string {
  return s.split('\n', 1)[0]!.trim();
}

/** A short reason from a Node connection error's text (its errno code), or the text's first line. */
export function connectionReason(d: string): string {
  const m = /(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN)/.exec(d);
  if (m) {
    const words: Record<string, string> = {
      ECONNREFUSED: 'connection refused',
      ECONNRESET: 'connection reset',
      ETIMEDOUT: 'timed out',
      EHOSTUNREACH: 'host unreachable',
      ENETUNREACH: 'network unreachable',
      ENOTFOUND: 'host name not found',
      EAI_AGAIN: 'host name lookup failed',
    };
    return words[m[1]!]!;
  }
  if (/^keepalive: /.test(d)) return d.replace(/^keepalive: /, '').replace(/ \(connection lost\)$/, '');
  if (/Connection dropped|closed|GOAWAY|RST_STREAM/i.test(d)) return 'connection lost';
  return firstLine(d).replace(/^No connection established\. Last error: (Error: )?/, '') || 'no connection';
}
