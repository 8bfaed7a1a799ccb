/**
 * lncli's profiles file, read exactly as lncli reads it (lnd cmd/lncli
 * profile.go: profileFile, profileEntry, macaroonJar; Go's encoding/json):
 *
 *   {"default": "<name>", "profiles": [{"name", "rpcserver", "lnddir",
 *    "network", "chain", "no-macaroons", "tlscert" (PEM text), "macaroons":
 *    {"default", "timeout", "ip", "jar": [{"name", "data"}]}, "metadata",
 *    "insecure"}]}
 *
 * Like Go's decoder: keys match case-insensitively (an exact match wins),
 * unknown keys are ignored, `null` is the zero value, and a value of the wrong
 * type makes the file malformed. Where it is: --profiles-file, else
 * $LNCLI_PROFILES, else `<lncli dir>/profiles.json` with lncli's dir from
 * btcutil.AppDataDir("lncli", false): `~/.lncli` (Linux, BSD),
 * `~/Library/Application Support/Lncli` (macOS), `%LOCALAPPDATA%\Lncli`
 * (Windows, else %APPDATA%).
 *
 * Errors are configuration errors (exit 3) naming the file (and the profile);
 * no message repeats a value from the file (it holds macaroons).
 */
import path from 'node:path';
import { configError } from '../errors.js';
import type { ResolveIO } from './io.js';
import { appDataDir, type Env } from './paths.js';

export interface JarEntry {
  readonly name: string;
  /** The macaroon in hex, or `snacl:<key>:<ciphertext>`. Secret. */
  readonly data: string;
}

export interface MacaroonJar {
  /** The name of the macaroon to use ('' when absent). */
  readonly default: string;
  /** Seconds for the `time-before` caveat lncli adds per call (0 = lncli's 60). */
  readonly timeout: number;
  /** The IP lncli locks each call's macaroon to ('' = none). */
  readonly ip: string;
  readonly jar: readonly JarEntry[];
}

export interface ProfileEntry {
  /** Position in the file, from 1 (for messages). */
  readonly index: number;
  readonly name: string;
  readonly rpcserver: string;
  readonly lnddir: string;
  readonly network: string;
  readonly noMacaroons: boolean;
  /** The PEM text itself; '' = verify with the system roots. */
  readonly tlscert: string;
  readonly macaroons: MacaroonJar | null;
  /** Extra gRPC metadata lncli sends with each call. May hold secrets: never printed. */
  readonly metadata: Readonly<Record<string, string>>;
  readonly insecure: boolean;
}

export interface ProfilesFile {
  readonly path: string;
  /** The default profile's name ('' when none). */
  readonly default: string;
  readonly profiles: readonly ProfileEntry[];
}

export const PROFILES_FILE_ENV = 'LNCLI_PROFILES';

/** lncli's directory: btcutil.AppDataDir("lncli", false). */
export function defaultLncliDir(platform: NodeJS.Platform, env: Env, homedir: string): string {
  return appDataDir('lncli', platform, env, homedir);
}

export function defaultProfilesFile(platform: NodeJS.Platform, env: Env, homedir: string): string {
  return (platform === 'win32' ? path.win32 : path.posix).join(
    defaultLncliDir(platform, env, homedir),
    'profiles.json',
  );
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

const isObj = (v: Json | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Go's field matching: the exact key, else the first key equal ignoring case. */
function field(o: Obj, name: string): Json | undefined {
  if (Object.prototype.hasOwnProperty.call(o, name)) return o[name];
  const lower = name.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === lower) return o[k];
  return undefined;
}

class Reader {
  constructor(private readonly where: (key: string) => string) {}

  private bad(key: string, want: string): never {
    throw new Error(`${this.where(key)} is not ${want}`);
  }

  str(o: Obj, key: string): string {
    const v = field(o, key);
    if (v === undefined || v === null) return '';
    return typeof v === 'string' ? v : this.bad(key, 'a string');
  }

  bool(o: Obj, key: string): boolean {
    const v = field(o, key);
    if (v === undefined || v === null) return false;
    return typeof v === 'boolean' ? v : this.bad(key, 'true or false');
  }

  int(o: Obj, key: string): number {
    const v = field(o, key);
    if (v === undefined || v === null) return 0;
    return typeof v === 'number' && Number.isSafeInteger(v) ? v : this.bad(key, 'a whole number');
  }

  obj(o: Obj, key: string): Obj | null {
    const v = field(o, key);
    if (v === undefined || v === null) return null;
    return isObj(v) ? v : this.bad(key, 'an object');
  }

  arr(o: Obj, key: string): Json[] {
    const v = field(o, key);
    if (v === undefined || v === null) return [];
    return Array.isArray(v) ? v : this.bad(key, 'a list');
  }
}

function parseJar(o: Obj, r: Reader, where: string): MacaroonJar {
  const jar = r.arr(o, 'jar').map((e, i) => {
    if (!isObj(e)) throw new Error(`${where} macaroons.jar[${i}] is not an object`);
    const er = new Reader((k) => `${where} macaroons.jar[${i}].${k}`);
    return { name: er.str(e, 'name'), data: er.str(e, 'data') };
  });
  return { default: r.str(o, 'default'), timeout: r.int(o, 'timeout'), ip: r.str(o, 'ip'), jar };
}

function parseProfile(v: Json, index: number): ProfileEntry {
  const where = `profile ${index}`;
  if (!isObj(v)) throw new Error(`${where} is not an object`);
  const name = typeof field(v, 'name') === 'string' ? (field(v, 'name') as string) : '';
  const label = name ? `profile "${name}"` : where;
  const r = new Reader((k) => `${label}: "${k}"`);
  const jarObj = r.obj(v, 'macaroons');
  const meta = r.obj(v, 'metadata');
  const metadata: Record<string, string> = {};
  if (meta) {
    for (const [k, val] of Object.entries(meta)) {
      if (typeof val !== 'string') throw new Error(`${label}: "metadata" value of "${k}" is not a string`);
      metadata[k] = val;
    }
  }
  return {
    index,
    name: r.str(v, 'name'),
    rpcserver: r.str(v, 'rpcserver'),
    lnddir: r.str(v, 'lnddir'),
    network: r.str(v, 'network'),
    noMacaroons: r.bool(v, 'no-macaroons'),
    tlscert: r.str(v, 'tlscert'),
    macaroons: jarObj ? parseJar(jarObj, new Reader((k) => `${label}: "macaroons.${k}"`), label) : null,
    metadata,
    insecure: r.bool(v, 'insecure'),
  };
}

/** Where JSON.parse stopped, as line:column; never the text around it (it may hold a macaroon). */
function jsonErrorPlace(text: string, err: unknown): string {
  const m = /at position (\d+)/.exec(err instanceof Error ? err.message : '');
  if (!m) return '';
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const col = pos - before.lastIndexOf('\n');
  return ` at line ${line}, column ${col}`;
}

const FIX = 'fix it (lncli profile list shows what lncli reads), or point --profiles-file at another file';

/** Parses the file's text. Throws a configError naming `file`. */
export function parseProfilesFile(text: string, file: string): ProfilesFile {
  let json: Json;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, '')) as Json;
  } catch (e) {
    // No cause: the parser's message quotes the text around the error.
    throw configError(`profiles file ${file} is not valid JSON${jsonErrorPlace(text, e)}; ${FIX}`);
  }
  try {
    if (!isObj(json)) throw new Error('the file is not a JSON object');
    const r = new Reader((k) => `"${k}"`);
    const profiles = r.arr(json, 'profiles').map((p, i) => parseProfile(p, i + 1));
    return { path: file, default: r.str(json, 'default'), profiles };
  } catch (e) {
    throw configError(`profiles file ${file} is malformed: ${(e as Error).message}; ${FIX}`);
  }
}

/** Reads and parses a profiles file; a missing or unreadable file is a configError naming it and `why` it was read. */
export function loadProfilesFile(file: string, io: Pick<ResolveIO, 'readFile'>, why: string): ProfilesFile {
  let text: string;
  try {
    text = io.readFile(file).toString('utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const what =
      code === 'ENOENT'
        ? 'not found'
        : code === 'EACCES' || code === 'EPERM'
          ? 'not readable (permission denied)'
          : code === 'EISDIR'
            ? 'is a directory'
            : `cannot be read (${code ?? 'read error'})`;
    throw configError(
      `profiles file ${file} ${what} (${why}); create profiles with lncli profile add, or point --profiles-file (or LNCLI_PROFILES) at the file`,
      e,
    );
  }
  return parseProfilesFile(text, file);
}
