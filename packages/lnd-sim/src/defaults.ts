/**
 * Defaults of the simulated node that help texts state (`htlc-tail demo
 * --help`, `htlc-tail-sim --help`). A leaf module: the CLI imports it for
 * its help without loading the simulator.
 */

/** Live HTLC events per second of `htlc-tail demo` and `htlc-tail-sim`. */
export const DEMO_RATE = 4;
