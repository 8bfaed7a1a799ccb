/**
 * lnd's default directory per OS and lnd's path expansion (`~`, `$VAR`,
 * `${VAR}`), as lnd and lncli do it (btcutil.AppDataDir, lncfg.CleanAndExpandPath).
 * Pure: platform, environment and home directory are arguments.
 */
import path from 'node:path';

export type Env = Readonly<Record<string, string | undefined>>;

export interface PathContext {
  readonly platform: NodeJS.Platform;
  readonly env: Env;
  /** The user's home directory ('' when unknown). */
  readonly homedir: string;
}

function pathApi(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

/** An environment variable; on Windows names are case-insensitive, as there. */
export function getEnv(env: Env, name: string, platform: NodeJS.Platform): string | undefined {
  const v = env[name];
  if (v !== undefined || platform !== 'win32') return v;
  const upper = name.toUpperCase();
  for (const k of Object.keys(env)) if (k.toUpperCase() === upper) return env[k];
  return undefined;
}

/**
 * btcutil.AppDataDir(app, false): Windows `%LOCALAPPDATA%\App` (else
 * `%APPDATA%\App`), macOS `~/Library/Application Support/App`, others `~/.app`.
 */
export function appDataDir(app: string, platform: NodeJS.Platform, env: Env, homedir: string): string {
  const upper = app[0]!.toUpperCase() + app.slice(1);
  if (platform === 'win32') {
    const base = getEnv(env, 'LOCALAPPDATA', platform) || getEnv(env, 'APPDATA', platform);
    if (base) return path.win32.join(base, upper);
  } else if (platform === 'darwin') {
    if (homedir) return path.posix.join(homedir, 'Library', 'Application Support', upper);
  }
  if (homedir) return pathApi(platform).join(homedir, `.${app}`);
  return '.';
}

/**
 * lnd's default lnddir (btcutil.AppDataDir("lnd", false)):
 * Linux/BSD `~/.lnd`; macOS `~/Library/Application Support/Lnd`;
 * Windows `%LOCALAPPDATA%\Lnd` (else `%APPDATA%\Lnd`, else `~\.lnd`).
 */
export function defaultLndDir(platform: NodeJS.Platform, env: Env, homedir: string): string {
  return appDataDir('lnd', platform, env, homedir);
}

/** Joins path segments with the platform's separator. */
export function joinPath(platform: NodeJS.Platform, ...parts: string[]): string {
  return pathApi(platform).join(...parts);
}

const isAlphaNum = (c: string): boolean => /^[A-Za-z0-9_]$/.test(c);
const isShellSpecial = (c: string): boolean => '*#$@!?-0123456789'.includes(c);

/** The name after a `$` and how many characters it used (Go's os.getShellName). */
function shellName(s: string): [name: string, width: number] {
  if (s[0] === '{') {
    if (s.length > 2 && isShellSpecial(s[1]!) && s[2] === '}') return [s[1]!, 3];
    for (let i = 1; i < s.length; i++) {
      if (s[i] === '}') {
        if (i === 1) return ['', 2]; // "${}": bad syntax, eaten
        return [s.slice(1, i), i + 1];
      }
    }
    return ['', 1]; // "${" without "}": bad syntax, eaten
  }
  if (isShellSpecial(s[0]!)) return [s[0]!, 1];
  let i = 0;
  while (i < s.length && isAlphaNum(s[i]!)) i++;
  return [s.slice(0, i), i];
}

/**
 * Go's os.Expand: `$NAME` and `${NAME}` are replaced by lookup(NAME) (unset
 * is empty); a `$` not followed by a name stays; bad `${` syntax is dropped.
 */
export function expandEnv(s: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  let i = 0;
  for (let j = 0; j < s.length; j++) {
    if (s[j] === '$' && j + 1 < s.length) {
      out += s.slice(i, j);
      const [name, w] = shellName(s.slice(j + 1));
      if (name === '' && w > 0) {
        // invalid syntax: the characters are eaten
      } else if (name === '') {
        out += '$';
      } else {
        out += lookup(name) ?? '';
      }
      j += w;
      i = j + 1;
    }
  }
  return out + s.slice(i);
}

/** Go's filepath.Clean: normalized, no trailing separator (except a root), '.' for empty. */
export function cleanPath(p: string, platform: NodeJS.Platform): string {
  const api = pathApi(platform);
  let n = api.normalize(p === '' ? '.' : p);
  const root = api.parse(n).root;
  while (n.length > root.length && (n.endsWith('/') || (platform === 'win32' && n.endsWith('\\')))) {
    n = n.slice(0, -1);
  }
  return n;
}

/**
 * lnd's CleanAndExpandPath: a leading `~` becomes the home directory (only the
 * `~` itself is replaced, exactly as lnd does, so `~/x` works and `~user` is
 * not a user lookup), then `$VAR`/`${VAR}` are expanded and the path cleaned.
 * The empty string stays empty.
 */
export function expandPath(p: string, ctx: PathContext): string {
  if (p === '') return '';
  let s = p;
  if (s.startsWith('~')) s = ctx.homedir + s.slice(1);
  s = expandEnv(s, (name) => getEnv(ctx.env, name, ctx.platform));
  return cleanPath(s, ctx.platform);
}
