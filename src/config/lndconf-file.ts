/**
 * Which lnd.conf a run reads, and reading it. `--configfile` must exist
 * (exit 3 otherwise); the default `<lnddir>/lnd.conf` is read when it exists,
 * except for a node given by an lndconnect URI or an lncli profile (the local
 * lnd.conf describes a local node). Read errors are configuration errors
 * (exit 3) naming the file and the next step.
 */
import { configError, usageError } from '../errors.js';
import type { ResolveIO } from './io.js';
import { parseLndConf, type LndConf } from './lndconf.js';
import { joinPath } from './paths.js';

export function readLndConf(path: string, io: ResolveIO, expand: (p: string) => string): LndConf {
  let text: string;
  try {
    text = io.readFile(path).toString('utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      (e as { reason?: string }).reason ??
      (code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a directory'
            : (code ?? 'read error'));
    const remedy =
      code === 'ENOTREG' || code === 'EFBIG'
        ? "point --configfile (or --lnddir) at lnd's lnd.conf"
        : 'make it readable for this user, or point --configfile (or --lnddir) at a readable lnd.conf';
    throw configError(`cannot read lnd.conf ${path} (${why}); ${remedy}`, e);
  }
  return parseLndConf(text, path, { expand });
}

/**
 * The lnd.conf of a run, or undefined when none is read. `lndDir`: the
 * directory given by the user (or the default one); `remoteNode`: the node
 * comes from an lndconnect URI or a profile.
 */
export function findLndConf(
  configfile: string | undefined,
  lndDir: string,
  remoteNode: boolean,
  io: ResolveIO,
  expand: (p: string) => string,
): LndConf | undefined {
  if (configfile !== undefined) {
    if (configfile.trim() === '') throw usageError('--configfile needs a value; see htlc-tail --help');
    const path = expand(configfile.trim());
    if (!io.exists(path)) {
      throw configError(
        `--configfile ${path}: no such file; check the path, or leave --configfile out to use <lnddir>/lnd.conf`,
      );
    }
    return readLndConf(path, io, expand);
  }
  if (remoteNode) return undefined;
  const path = joinPath(io.platform, lndDir, 'lnd.conf');
  return io.exists(path) ? readLndConf(path, io, expand) : undefined;
}

/** `/home/u/.lnd/lnd.conf:12 (rpclisten)`: where a setting of lnd.conf came from. */
export function confSource(conf: LndConf, line: number, key: string): string {
  return `${conf.fileName}:${line} (${key})`;
}
