/**
 * Which lncli profiles a run uses (pure; the file is read by the caller).
 *
 * Like lncli (profile.go getGlobalOptions): `-p/--profile NAME`, else
 * `LNCLI_PROFILE`; an empty (or blank) value turns profiles off; else the
 * file's `default` profile. One difference, on purpose: the default profile
 * applies only when no connection option names another node on the command
 * line (--rpcserver, --restserver, --lnddir, -n/--network, --configfile,
 * --tlscertpath, --macaroonpath, --lndconnect, or HTLC_TAIL_LNDCONNECT), so
 * `htlc-tail --rpcserver …` means that node even with a default profile. The
 * LNCLI_* variables do not turn the default profile off: lncli itself ignores
 * them when a profile applies, and htlc-tail should reach the node lncli
 * reaches.
 *
 * `--profile all` is every profile of the file; -p may be repeated. Naming
 * profiles and lndconnect URIs together is a usage error: several nodes are
 * either profiles or URIs (repeat one option or the other).
 */
import { usageError } from '../errors.js';
import { expandPath, getEnv, type Env, type PathContext } from './paths.js';
import { defaultProfilesFile, PROFILES_FILE_ENV } from './profiles-file.js';

export const PROFILE_ENV = 'LNCLI_PROFILE';
export const ALL_PROFILES = 'all';

/** What the CLI hands down for profiles (Commander's values). */
export interface ProfileOptions {
  /** -p/--profile, repeatable. */
  readonly profile?: readonly string[] | string;
  readonly profilesFile?: string;
  // The connection flags that turn the default profile off.
  readonly rpcserver?: string;
  readonly restserver?: string;
  readonly lnddir?: string;
  readonly network?: string;
  readonly configfile?: string;
  readonly tlscertpath?: string;
  readonly macaroonpath?: string;
  /** --lndconnect, repeatable. */
  readonly lndconnect?: string | readonly string[];
}

/** The flags (and HTLC_TAIL_LNDCONNECT) that name a node, in the words a message uses. */
export const NODE_FLAGS: ReadonlyArray<readonly [keyof ProfileOptions, string]> = [
  ['rpcserver', '--rpcserver'],
  ['restserver', '--restserver'],
  ['lnddir', '--lnddir'],
  ['network', '--network'],
  ['configfile', '--configfile'],
  ['tlscertpath', '--tlscertpath'],
  ['macaroonpath', '--macaroonpath'],
  ['lndconnect', '--lndconnect'],
];

export interface ProfilesFileRef {
  readonly path: string;
  /** `--profiles-file`, `LNCLI_PROFILES` or `default`. */
  readonly source: string;
}

export type ProfileRequest =
  /** Names given with -p or LNCLI_PROFILE; `all` for every profile. */
  | {
      readonly kind: 'named';
      readonly names: readonly string[] | 'all';
      readonly source: string;
      readonly file: ProfilesFileRef;
    }
  /** Nothing named: the file's default profile applies if the file exists and has one. */
  | { readonly kind: 'default-if-any'; readonly file: ProfilesFileRef }
  /** Profiles are not used (turned off, or a connection option names the node). */
  | { readonly kind: 'none'; readonly reason: string };

export function profilesFileRef(opts: ProfileOptions, env: Env, ctx: PathContext): ProfilesFileRef {
  if (opts.profilesFile !== undefined) {
    if (opts.profilesFile.trim() === '') throw usageError('--profiles-file needs a value; see htlc-tail --help');
    return { path: expandPath(opts.profilesFile.trim(), ctx), source: '--profiles-file' };
  }
  const v = getEnv(env, PROFILES_FILE_ENV, ctx.platform);
  if (v !== undefined && v.trim() !== '') return { path: expandPath(v.trim(), ctx), source: PROFILES_FILE_ENV };
  return { path: defaultProfilesFile(ctx.platform, env, ctx.homedir), source: 'default' };
}

function asList(v: readonly string[] | string | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  return typeof v === 'string' ? [v] : [...v];
}

/** Decides what to use; throws a usage error for contradictions. */
export function requestProfiles(opts: ProfileOptions, env: Env, ctx: PathContext): ProfileRequest {
  const flag = asList(opts.profile);
  let names: string[] | undefined;
  let source = '--profile';
  if (flag !== undefined) {
    names = flag.map((n) => n.trim());
  } else {
    const v = getEnv(env, PROFILE_ENV, ctx.platform);
    if (v !== undefined) {
      names = [v.trim()];
      source = PROFILE_ENV;
    }
  }
  const lndconnectGiven =
    opts.lndconnect !== undefined
      ? '--lndconnect'
      : getEnv(env, 'HTLC_TAIL_LNDCONNECT', ctx.platform)?.trim()
        ? 'HTLC_TAIL_LNDCONNECT'
        : undefined;

  if (names !== undefined) {
    const given = names.filter((n) => n !== '');
    if (given.length === 0) return { kind: 'none', reason: `${source} is empty` };
    if (given.length !== names.length) {
      throw usageError(`${source} "" turns profiles off and cannot be combined with profile names; drop one of them`);
    }
    if (lndconnectGiven) {
      throw usageError(
        `${source} and ${lndconnectGiven} both name nodes to connect to; give the nodes either as profiles or as lndconnect URIs`,
      );
    }
    const file = profilesFileRef(opts, env, ctx);
    if (given.some((n) => n.toLowerCase() === ALL_PROFILES)) {
      if (given.length > 1) throw usageError(`${source} all already means every profile; drop the other names`);
      return { kind: 'named', names: 'all', source, file };
    }
    return { kind: 'named', names: [...new Set(given)], source, file };
  }

  const flagGiven = NODE_FLAGS.find(([k]) => opts[k] !== undefined)?.[1] ?? lndconnectGiven;
  if (flagGiven) return { kind: 'none', reason: `${flagGiven} names the node` };
  return { kind: 'default-if-any', file: profilesFileRef(opts, env, ctx) };
}
