/**
 * The session's stderr lines: one per change of state, never one per
 * attempt. A retry for the same reason as the last line says nothing; a
 * stream that keeps ending soon after it starts (it never became healthy:
 * no HTLC event and less than the health time) is reported once as such, and
 * its further reconnects and losses are quiet until it is stable again or the
 * reason changes.
 */
export type NoticeSink = (msg: string) => void;

const sec = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export class SessionNotices {
  private last = '';
  /** Established streams lost in a row before they became healthy. */
  private unhealthyLosses = 0;
  private flapping = false;

  constructor(
    private readonly notify: NoticeSink,
    private readonly address: string,
  ) {}

  /** An attempt failed before a subscription was established; `verb` is `waiting`, `retrying` or `reconnecting`. */
  retrying(text: string, verb: string, delayMs: number): void {
    this.say(`retry:${text}`, `${text}; ${verb}, next try in ${sec(delayMs)}`);
  }

  /** An established stream was lost. */
  lost(reason: string, healthy: boolean, upMs: number, delayMs: number): void {
    if (healthy) {
      this.unhealthyLosses = 0;
      this.flapping = false;
    } else this.unhealthyLosses++;
    if (this.unhealthyLosses >= 2) {
      this.flapping = true;
      this.say(
        `flap:${reason}`,
        `the HTLC event stream from lnd at ${this.address} keeps ending soon after it starts (this time after ${sec(upMs)}: ${reason}); retrying with growing delays, next try in ${sec(delayMs)}`,
      );
      return;
    }
    this.say(
      `lost:${reason}`,
      `lost the HTLC event stream from lnd at ${this.address} (${reason}); reconnecting, next try in ${sec(delayMs)}`,
    );
  }

  /** A lost stream is established again. */
  reconnected(afterMs: number): void {
    if (!this.flapping) this.say('up', `reconnected to lnd at ${this.address} after ${sec(afterMs)}`);
  }

  /** The stream delivered an HTLC event or stayed up for the health time. */
  healthy(): void {
    this.unhealthyLosses = 0;
    if (!this.flapping) return;
    this.flapping = false;
    this.say('stable', `the HTLC event stream from lnd at ${this.address} is up and stable again`);
  }

  /** Any other line (e.g. a file that cannot be read again). */
  other(text: string): void {
    this.say(`other:${text}`, text);
  }

  private say(key: string, text: string): void {
    if (key !== this.last) this.notify(text);
    this.last = key;
  }
}
