/**
 * lnd.conf, read the way lnd reads it (jessevdk/go-flags' ini parser):
 *
 * - lines are trimmed; empty lines and lines starting with `;` or `#` are
 *   comments (whole lines only: `key=value ; text` keeps `; text` in the value);
 * - `[Section]` starts a section; names are case-insensitive, and since lnd's
 *   keys are unique full names (`bitcoin.regtest`), a key is accepted under any
 *   section or before the first one;
 * - `key=value`, split at the first `=`, both sides trimmed; a value starting
 *   with `"` is a Go quoted string (strconv.Unquote: `\n`, `\t`, `\\`, `\"`,
 *   `\x41`, `\101`, `\u00e9`, ...);
 * - a repeated key adds a value (rpclisten, restlisten, tlsextraip, ...); for a
 *   single-valued key the last one wins;
 * - booleans are `1/0/t/f/true/false/TRUE/FALSE/True/False` (Go's
 *   strconv.ParseBool), and `key=` with an empty value means true.
 *
 * Where go-flags differs from other ini dialects we follow go-flags, because an
 * lnd.conf that lnd accepts must read the same here:
 * - a line with no `=` (a bare `key`) is an error in go-flags and so here;
 * - keys are lnd's exact long names (`bitcoin.regtest`); the group-relative form
 *   (`regtest=1` under `[Bitcoin]`) is not an lnd key (lnd stops with "unknown
 *   option"), so it is ignored here like every key this tool does not use.
 *
 * Malformed lines are configuration errors (exit 3) naming the file and line
 * and what to do. Messages never repeat a value that could be secret (lnd.conf
 * holds passwords such as bitcoind.rpcpass): only key names and line numbers.
 */
import { configError } from '../errors.js';
import { NETWORK_CONF_KEYS, type NetworkName } from './networks.js';

export interface LndConfEntry {
  /** The section the key appeared in ('' before the first header), as written. */
  readonly section: string;
  readonly key: string;
  /** The value, trimmed and unquoted. */
  readonly value: string;
  /** 1-based line number. */
  readonly line: number;
}

export interface LndConfValue {
  readonly value: string;
  readonly line: number;
}

export interface LndConf {
  readonly fileName: string;
  readonly entries: readonly LndConfEntry[];
  /** Every value of a key, in file order. */
  all(key: string): readonly LndConfValue[];
  /** The value that wins for a single-valued key (the last one). */
  last(key: string): LndConfValue | undefined;

  /** Path keys, `~`/`$VAR` expanded with the `expand` function given to the parser; empty values count as unset. */
  readonly lnddir: LndConfValue | undefined;
  readonly datadir: LndConfValue | undefined;
  readonly tlscertpath: LndConfValue | undefined;
  readonly adminmacaroonpath: LndConfValue | undefined;
  readonly readonlymacaroonpath: LndConfValue | undefined;
  /** Every rpclisten value, raw (see config/listen.ts for turning one into a dial target). */
  readonly rpclisten: readonly LndConfValue[];
  readonly restlisten: readonly LndConfValue[];
  /** The network selected by a true `bitcoin.<net>` key, with the line that set it. */
  readonly network: { readonly name: NetworkName; readonly line: number } | undefined;
  readonly tlsextraip: readonly string[];
  readonly tlsextradomain: readonly string[];
  /** `no-macaroons=true`: lnd serves without macaroon authentication. */
  readonly noMacaroons: boolean;
}

export interface ParseLndConfOptions {
  /** Expands path values (`~`, `$VAR`); identity when not given. */
  readonly expand?: (path: string) => string;
}

function where(fileName: string, line: number): string {
  return `${fileName}:${line}`;
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  a: 0x07,
  b: 0x08,
  f: 0x0c,
  n: 0x0a,
  r: 0x0d,
  t: 0x09,
  v: 0x0b,
  '\\': 0x5c,
  '"': 0x22,
};

/**
 * Go's strconv.Unquote for a double-quoted string. Returns undefined when the
 * text is not one valid quoted string (no closing quote, text after it, a raw
 * newline, an unknown escape, an invalid code point).
 */
export function goUnquote(s: string): string | undefined {
  if (s.length < 2 || s[0] !== '"' || s[s.length - 1] !== '"') return undefined;
  const body = s.slice(1, -1);
  if (body.includes('\n')) return undefined;
  const bytes: number[] = [];
  const pushText = (t: string) => {
    for (const b of Buffer.from(t, 'utf8')) bytes.push(b);
  };
  let i = 0;
  while (i < body.length) {
    const c = body[i]!;
    if (c === '"') return undefined;
    if (c !== '\\') {
      const cp = body.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      pushText(ch);
      i += ch.length;
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) return undefined;
    if (e in SIMPLE_ESCAPES) {
      bytes.push(SIMPLE_ESCAPES[e]!);
      i += 2;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i + 2, i + 2 + n);
      if (hex.length !== n || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
      const v = parseInt(hex, 16);
      if (e === 'x') {
        bytes.push(v);
      } else {
        if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return undefined;
        pushText(String.fromCodePoint(v));
      }
      i += 2 + n;
    } else if (e >= '0' && e <= '7') {
      const oct = body.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(oct)) return undefined;
      const v = parseInt(oct, 8);
      if (v > 255) return undefined;
      bytes.push(v);
      i += 4;
    } else {
      return undefined;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Go's strconv.ParseBool. */
export function parseGoBool(v: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

/** Parses lnd.conf text. Pure; throws a configError for a malformed line. */
export function parseLndConf(text: string, fileName: string, options: ParseLndConfOptions = {}): LndConf {
  const expand = options.expand ?? ((p: string) => p);
  const entries: LndConfEntry[] = [];
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  let section = '';
  for (let n = 0; n < lines.length; n++) {
    const lineNo = n + 1;
    const line = lines[n]!.trim();
    if (line === '' || line[0] === ';' || line[0] === '#') continue;
    if (line[0] === '[') {
      if (line[line.length - 1] !== ']') {
        throw configError(
          `${where(fileName, lineNo)}: malformed section header (a section line is just [Name], e.g. [Application Options]); fix that line of lnd.conf`,
        );
      }
      const name = line.slice(1, -1).trim();
      if (name === '') {
        throw configError(`${where(fileName, lineNo)}: empty section name "[]"; name the section or delete the line`);
      }
      section = name;
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0) {
      throw configError(
        `${where(fileName, lineNo)}: malformed line, expected key=value (lnd rejects a bare key too; write key=1 for a boolean, or start a comment with ;)`,
      );
    }
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    if (key === '') {
      throw configError(`${where(fileName, lineNo)}: malformed line, nothing before "="; write key=value`);
    }
    if (value[0] === '"') {
      const unq = goUnquote(value);
      if (unq === undefined) {
        throw configError(
          `${where(fileName, lineNo)}: the quoted value of ${key} is malformed (check the closing quote and backslash escapes); fix that line of lnd.conf`,
        );
      }
      value = unq;
    }
    entries.push({ section, key, value, line: lineNo });
  }

  const byKey = new Map<string, LndConfValue[]>();
  for (const e of entries) {
    let list = byKey.get(e.key);
    if (!list) byKey.set(e.key, (list = []));
    list.push({ value: e.value, line: e.line });
  }
  const all = (key: string): readonly LndConfValue[] => byKey.get(key) ?? [];
  const last = (key: string): LndConfValue | undefined => {
    const l = byKey.get(key);
    return l ? l[l.length - 1] : undefined;
  };
  const boolOf = (key: string): { value: boolean; line: number } | undefined => {
    const v = last(key);
    if (!v) return undefined;
    if (v.value === '') return { value: true, line: v.line };
    const b = parseGoBool(v.value);
    if (b === undefined) {
      throw configError(
        `${where(fileName, v.line)}: ${key} must be a boolean (1, 0, true or false); fix that line of lnd.conf`,
      );
    }
    return { value: b, line: v.line };
  };
  const pathOf = (key: string): LndConfValue | undefined => {
    const v = last(key);
    if (!v || v.value === '') return undefined;
    return { value: expand(v.value), line: v.line };
  };

  const selected: Array<{ name: NetworkName; line: number; key: string }> = [];
  for (const [key, name] of NETWORK_CONF_KEYS) {
    const b = boolOf(key);
    if (b?.value) selected.push({ name, line: b.line, key });
  }
  if (selected.length > 1) {
    const list = selected
      .sort((a, b) => a.line - b.line)
      .map((s) => `${s.key} (line ${s.line})`)
      .join(', ');
    throw configError(
      `${fileName}: more than one network is set: ${list}; lnd allows only one, keep one of them in lnd.conf`,
    );
  }
  const net = selected[0];

  return {
    fileName,
    entries,
    all,
    last,
    lnddir: pathOf('lnddir'),
    datadir: pathOf('datadir'),
    tlscertpath: pathOf('tlscertpath'),
    adminmacaroonpath: pathOf('adminmacaroonpath'),
    readonlymacaroonpath: pathOf('readonlymacaroonpath'),
    rpclisten: all('rpclisten'),
    restlisten: all('restlisten'),
    network: net ? { name: net.name, line: net.line } : undefined,
    tlsextraip: all('tlsextraip').map((v) => v.value),
    tlsextradomain: all('tlsextradomain').map((v) => v.value),
    noMacaroons: boolOf('no-macaroons')?.value ?? false,
  };
}
