/**
 * The TCP step: can a connection to lnd's gRPC port be opened within the
 * connect timeout? Dialed the way every connection to the node is (dial.ts:
 * directly, or through the node's SOCKS5 proxy).
 */
import { dial, DialAbortedError, DialError, type DialProxy } from '../transport/dial.js';
import { connectionReason } from '../transport/net-reason.js';
import { ExitCode } from '../errors.js';
import { fail, ok, type StepOutcome } from './types.js';

/** The dial's own bound backs up this step's timer, which fires first. */
const DIAL_BACKUP_MS = 1_000;

export function tcpReachable(
  host: string,
  port: number,
  address: string,
  timeoutMs: number,
  proxy: DialProxy | null = null,
): Promise<StepOutcome> {
  const dialing = new AbortController();
  const timer = setTimeout(() => dialing.abort(), timeoutMs);
  return dial({ host, port, proxy, timeoutMs: timeoutMs + DIAL_BACKUP_MS, signal: dialing.signal }).then(
    (sock) => {
      clearTimeout(timer);
      const via = !proxy && sock.remoteAddress && sock.remoteAddress !== host ? ` (${sock.remoteAddress})` : '';
      sock.destroy();
      return ok(
        `${address}${via} accepts connections${proxy ? ` (through SOCKS5 proxy ${proxy.host}:${proxy.port})` : ''}`,
      );
    },
    (e: unknown) => {
      clearTimeout(timer);
      if (e instanceof DialAbortedError) {
        return fail(
          ExitCode.CONNECTION,
          `${address}: no answer within ${timeoutMs / 1000} s`,
          'check --rpcserver, that lnd runs and that no firewall drops the packets, or raise --connect-timeout',
        );
      }
      if (e instanceof DialError && e.proxy !== null) return fail(ExitCode.CONNECTION, e.message);
      const cause = (e instanceof DialError ? e.cause : e) as NodeJS.ErrnoException;
      return fail(
        ExitCode.CONNECTION,
        `cannot reach ${address} (${connectionReason(String(cause?.code ?? cause?.message))})`,
        'check that lnd runs, that --rpcserver (or rpclisten in lnd.conf) is right, and firewalls',
      );
    },
  );
}
