/**
 * The target of a run, re-resolvable: lnd regenerates tls.cert (on expiry,
 * on tlsextraip/tlsextradomain changes with tlsautorefresh, or when an
 * operator deletes it) and macaroons can be re-baked, so the cert and
 * macaroon files are read again before every reconnect attempt. Bytes given
 * directly (an lndconnect URI, a profile) stay as given.
 *
 * A file that cannot be read now (lnd may be rewriting it) keeps the bytes
 * last read, with a note; only when lnd then rejects them is it an error, and
 * `changeNote` says whether the file changed since the start.
 */
import { buildTarget, checkCertPem, checkMacaroon, readCredentialFile, type TargetSpec } from './credentials.js';
import type { Credential } from './classify.js';
import type { LndTarget } from './target.js';

interface FileState {
  readonly path: string;
  /** Reads and checks the file (throws a configuration error naming it). */
  readonly read: () => Buffer;
  /** The bytes read at the start. */
  readonly atStart: Buffer;
  /** Why the last re-read failed ('' when it worked). */
  problem: string;
}

export interface Reload {
  /** The target to use now (the same object when nothing changed). */
  readonly target: LndTarget;
  /** Files that could not be read again (their earlier bytes are used), one text each. */
  readonly problems: readonly string[];
}

export class TargetSource {
  private target: LndTarget;
  private readonly cert: FileState | undefined;
  private readonly macaroon: FileState | undefined;

  constructor(
    readonly spec: TargetSpec,
    first: LndTarget = buildTarget(spec),
  ) {
    this.target = first;
    const c = spec.cert;
    const m = spec.macaroon;
    this.cert =
      c.kind === 'file' && first.certPem
        ? {
            path: c.path,
            read: () => checkCertPem(readCredentialFile(c.path, 'TLS cert', c.option), c.path, c.option),
            atStart: first.certPem,
            problem: '',
          }
        : undefined;
    this.macaroon =
      m.kind === 'file' && first.macaroon
        ? {
            path: m.path,
            read: () => checkMacaroon(readCredentialFile(m.path, 'macaroon', m.option), m.path, m.option),
            atStart: first.macaroon,
            problem: '',
          }
        : undefined;
  }

  /** A source that never re-reads (a target built by hand, e.g. in tests). */
  static fixed(target: LndTarget): TargetSource {
    const spec: TargetSpec = {
      host: target.host,
      port: target.port,
      tlsServerName: target.tlsServerName,
      cert: target.certPem ? { kind: 'pem', pem: target.certPem, source: target.certSource } : { kind: 'system' },
      macaroon: target.macaroon
        ? { kind: 'bytes', bytes: target.macaroon, source: target.macaroonSource }
        : { kind: 'none', source: target.macaroonSource },
      connectTimeoutMs: target.connectTimeoutMs,
      proxy: target.proxy ?? null,
    };
    return new TargetSource(spec, target);
  }

  get current(): LndTarget {
    return this.target;
  }

  /** Reads the cert and macaroon files again; returns the target to use for the next attempt. */
  reload(): Reload {
    const problems: string[] = [];
    const certPem = this.cert ? this.fresh(this.cert, this.target.certPem!, problems) : this.target.certPem;
    const macaroon = this.macaroon ? this.fresh(this.macaroon, this.target.macaroon!, problems) : this.target.macaroon;
    const same = (a: Buffer | null, b: Buffer | null) => (a === null || b === null ? a === b : a.equals(b));
    if (!same(certPem, this.target.certPem) || !same(macaroon, this.target.macaroon)) {
      this.target = { ...this.target, certPem, macaroon };
    }
    return { target: this.target, problems };
  }

  /**
   * For a message about a rejected cert or macaroon: whether its file changed
   * since the start (read again now), e.g. `; /x/tls.cert is unchanged since htlc-tail started`.
   */
  changeNote(which: Credential): string {
    const f = which === 'cert' ? this.cert : this.macaroon;
    const name = which === 'cert' ? 'the certificate' : 'the macaroon';
    if (!f) {
      const given = which === 'cert' ? this.spec.cert.kind !== 'system' : this.spec.macaroon.kind !== 'none';
      return given ? `; ${name} was given directly (not a file) and is used as given` : '';
    }
    let now: Buffer;
    try {
      now = f.read();
    } catch (e) {
      return `; ${f.path} cannot be read now (${(e as Error).message.split(';', 1)[0]}), and the copy read earlier is not accepted`;
    }
    return now.equals(f.atStart)
      ? `; ${f.path} is unchanged since htlc-tail started, so lnd now uses another one: copy lnd's current file there`
      : `; ${f.path} changed since htlc-tail started, and the new one is not accepted either`;
  }

  private fresh(f: FileState, last: Buffer, problems: string[]): Buffer {
    try {
      const b = f.read();
      f.problem = '';
      return b;
    } catch (e) {
      const text = `${(e as Error).message.split(';', 1)[0]}; using the copy read earlier`;
      if (text !== f.problem) problems.push(text);
      f.problem = text;
      return last;
    }
  }
}
