/** The TCP step: can a connection to lnd's gRPC port be opened within the connect timeout? */
import { ExitCode } from '../errors.js';
import net from 'node:net';
import { connectionReason } from '../lnd/classify.js';
import { fail, ok, type StepOutcome } from './types.js';

export function tcpReachable(host: string, port: number, address: string, timeoutMs: number): Promise<StepOutcome> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    let settled = false;
    const done = (o: StepOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(o);
    };
    const timer = setTimeout(
      () =>
        done(
          fail(
            ExitCode.CONNECTION,
            `${address}: no answer within ${timeoutMs / 1000} s`,
            'check --rpcserver, that lnd runs and that no firewall drops the packets, or raise --connect-timeout',
          ),
        ),
      timeoutMs,
    );
    sock.once('connect', () => {
      const via = sock.remoteAddress && sock.remoteAddress !== host ? ` (${sock.remoteAddress})` : '';
      done(ok(`${address}${via} accepts connections`));
    });
    sock.once('error', (e: NodeJS.ErrnoException) => {
      done(
        fail(
          ExitCode.CONNECTION,
          `cannot reach ${address} (${connectionReason(String(e.code ?? e.message))})`,
          'check that lnd runs, that --rpcserver (or rpclisten in lnd.conf) is right, and firewalls',
        ),
      );
    });
  });
}
