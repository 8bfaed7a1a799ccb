/**
 * Filters that can match nothing say so: after the node's peer aliases are
 * loaded, a `--channel`/`--in-channel`/`--out-channel` alias that matches
 * none of them gets one warning naming the closest aliases, so a typo does
 * not look like a quiet node. Pure: the caller prints the lines.
 *
 * Closeness, case-insensitively: a known alias that starts with the text
 * given (or that the text starts with) is closest, then one that contains
 * it, then by Levenshtein distance; at most three are named.
 */
import leven from 'leven';
import { specAliases, type FilterSpec } from './filter.js';

const SHOWN = 3;

/** A quoted, terminal-safe rendering of untrusted text (an alias from the network). */
function quote(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

const fold = (s: string): string => s.normalize('NFC').toLowerCase();

/** The known aliases closest to `given`, closest first (at most `n`). */
export function closestAliases(given: string, known: readonly string[], n = SHOWN): string[] {
  const g = fold(given);
  const scored = [...new Set(known)].map((alias) => {
    const a = fold(alias);
    const rank = a.startsWith(g) || g.startsWith(a) ? 0 : a.includes(g) || g.includes(a) ? 1 : 2;
    return { alias, rank, d: leven(g, a) };
  });
  scored.sort((x, y) => x.rank - y.rank || x.d - y.d || (x.alias < y.alias ? -1 : x.alias > y.alias ? 1 : 0));
  return scored.slice(0, n).map((x) => x.alias);
}

/**
 * One warning per alias of the spec that matches no known alias (whole,
 * case-insensitive, as the filter compares), naming the closest ones.
 */
export function unmatchedAliasWarnings(spec: FilterSpec, known: readonly string[]): string[] {
  const have = new Set(known.map(fold));
  const out: string[] = [];
  for (const { option, alias } of specAliases(spec)) {
    if (have.has(fold(alias))) continue;
    const near = closestAliases(alias, known);
    const hint =
      near.length === 0
        ? "no channel of this node has a known peer alias; give the channel id or BLOCKxTXxOUT"
        : `closest: ${near.map(quote).join(', ')} (aliases match whole, case-insensitively)`;
    out.push(`${option} ${quote(alias)} matches no peer alias of this node's channels, so it keeps nothing until a channel with that alias opens; ${hint}`);
  }
  return out;
}
