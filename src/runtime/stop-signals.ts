/**
 * SIGINT and SIGTERM for the long-running commands (tail, demo): handled from
 * the moment this is made until the process exits, never uninstalled, so a
 * signal at any moment (while connecting, in a backoff, during the final
 * flush and summary) asks for a clean stop instead of killing the process.
 * The first signal asks to stop; later ones (systemd and `timeout` signal the
 * whole process group, `npm run` and a terminal both forward Ctrl-C) change
 * nothing. A callback registered after a signal came runs at once, so a
 * signal during start-up is not lost. Node's signal handles do not keep the
 * process alive, so leaving them installed costs nothing.
 *
 * One more window: when the event loop runs empty, Node closes its handles
 * (the signal handlers too, restoring the default action) and only then
 * exits, so a signal in that moment would still kill the process with
 * 130/143 after everything was written. So once the loop is empty
 * ('beforeExit'), the process exits explicitly, which keeps the handlers in
 * place to the end.
 */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** What signals are installed on: the process (tests pass an EventEmitter). */
export interface SignalSource {
  on(event: StopSignal, listener: () => void): unknown;
  off(event: StopSignal, listener: () => void): unknown;
}

function exitNow(): void {
  process.exit();
}

export class StopSignals {
  private first: StopSignal | undefined;
  private count = 0;
  private readonly callbacks: Array<(sig: StopSignal) => void> = [];
  private readonly installed: Array<[StopSignal, () => void]> = [];

  constructor(private readonly target: SignalSource = process) {
    for (const sig of STOP_SIGNALS) {
      const listener = () => this.receive(sig);
      target.on(sig, listener);
      this.installed.push([sig, listener]);
    }
    if (target === process) process.once('beforeExit', exitNow);
  }

  /** The first signal received, if any. */
  get received(): StopSignal | undefined {
    return this.first;
  }

  /** How many signals came. */
  get signals(): number {
    return this.count;
  }

  /** Runs `cb` on the first signal (at once when it already came). */
  onStop(cb: (sig: StopSignal) => void): void {
    this.callbacks.push(cb);
    if (this.first) cb(this.first);
  }

  /** Removes the handlers: for tests only (a CLI process keeps them until it exits). */
  dispose(): void {
    for (const [sig, listener] of this.installed.splice(0)) this.target.off(sig, listener);
    if (this.target === process) process.off('beforeExit', exitNow);
  }

  private receive(sig: StopSignal): void {
    this.count++;
    if (this.first) return;
    this.first = sig;
    for (const cb of [...this.callbacks]) cb(sig);
  }
}
