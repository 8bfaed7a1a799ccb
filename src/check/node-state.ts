/**
 * The "lnd ready" step's pure part: lnd's wallet state (lnrpc.State/GetState,
 * which needs no macaroon) in words, and whether htlc-tail can subscribe in it.
 * lnd refuses every other call until the wallet is unlocked and the RPC
 * server is active.
 */
import { ExitCode } from '../errors.js';
import { fail, ok, warn, type StepOutcome } from './types.js';

const WAIT = 'or run htlc-tail with --wait to wait until it is ready';

export function walletStateOutcome(state: string): StepOutcome {
  switch (state) {
    case 'SERVER_ACTIVE':
      return ok('wallet unlocked, lnd fully started (SERVER_ACTIVE)');
    case 'RPC_ACTIVE':
      return warn(
        'wallet unlocked, RPC active, lnd still starting its server (RPC_ACTIVE)',
        'calls may be refused for a moment; try again shortly',
      );
    case 'UNLOCKED':
      return fail(ExitCode.REFUSED, 'wallet unlocked, lnd still starting up (UNLOCKED)', `try again shortly, ${WAIT}`);
    case 'LOCKED':
      return fail(ExitCode.REFUSED, 'wallet locked (LOCKED)', `unlock it (lncli unlock), ${WAIT}`);
    case 'NON_EXISTING':
      return fail(ExitCode.REFUSED, 'no wallet yet (NON_EXISTING)', `create it (lncli create), ${WAIT}`);
    case 'WAITING_TO_START':
      return fail(
        ExitCode.REFUSED,
        'lnd is waiting to start, RPC services not available (WAITING_TO_START)',
        `try again later, ${WAIT}`,
      );
    default:
      return warn(
        `wallet state ${state}, unknown to this version of htlc-tail`,
        'going on; the steps below tell whether lnd serves calls',
      );
  }
}

export const OLD_LND_STATE =
  'lnd does not serve lnrpc.State (older than 0.13): wallet state unknown; the steps below tell whether lnd serves calls';
