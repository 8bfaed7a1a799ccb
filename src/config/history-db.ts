/**
 * Where the history database is (SPEC "History"): `--db FILE`, else
 * `$HTLC_TAIL_DB`, else `$XDG_DATA_HOME/htlc-tail/history.sqlite`, else
 * `~/.local/share/htlc-tail/history.sqlite` (XDG's default; an XDG_DATA_HOME
 * that is not absolute is ignored, as the XDG spec says). On Windows the
 * default is `%LOCALAPPDATA%\htlc-tail\history.sqlite`.
 * Pure: environment, platform and home directory are arguments.
 */
import { usageError } from '../errors.js';
import { getEnv, joinPath, type Env } from './paths.js';
import path from 'node:path';

export interface HistoryDbLocation {
  readonly path: string;
  /** `--db`, `HTLC_TAIL_DB`, `XDG_DATA_HOME` or `default`: for messages. */
  readonly source: string;
}

export function historyDbLocation(
  flag: string | undefined,
  env: Env,
  platform: NodeJS.Platform,
  homedir: string,
): HistoryDbLocation {
  if (flag !== undefined) {
    if (flag.trim() === '') throw usageError('--db needs a file name; e.g. --db ~/htlc-history.sqlite');
    const expanded = homedir && (flag === '~' || flag.startsWith('~/')) ? homedir + flag.slice(1) : flag;
    return { path: expanded, source: '--db' };
  }
  const fromEnv = getEnv(env, 'HTLC_TAIL_DB', platform);
  if (fromEnv) return { path: fromEnv, source: 'HTLC_TAIL_DB' };
  if (platform === 'win32') {
    const base =
      getEnv(env, 'LOCALAPPDATA', platform) || (homedir ? joinPath(platform, homedir, 'AppData', 'Local') : '.');
    return { path: joinPath(platform, base, 'htlc-tail', 'history.sqlite'), source: 'default' };
  }
  const xdg = getEnv(env, 'XDG_DATA_HOME', platform);
  if (xdg && path.posix.isAbsolute(xdg))
    return { path: path.posix.join(xdg, 'htlc-tail', 'history.sqlite'), source: 'XDG_DATA_HOME' };
  return { path: path.posix.join(homedir || '.', '.local', 'share', 'htlc-tail', 'history.sqlite'), source: 'default' };
}
