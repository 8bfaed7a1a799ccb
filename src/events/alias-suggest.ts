/**
 * Filters that can match nothing say so: after the node's peer aliases are
 * loaded, a `--channel`/`--in-channel`/`--out-channel` alias that matches
 * none of them gets one warning naming the closest aliases, so a typo does
 * not look like a quiet node. Pure: the caller prints the lines.
 *
 * Closeness as util/closest-names.ts has it (a prefix, then containment,
 * then Levenshtein distance, case-insensitively); at most three are named.
 */
import { closestNames } from '../util/closest-names.js';
import { specAliases, type FilterSpec } from './filter.js';

const SHOWN = 3;

/** A quoted, terminal-safe rendering of untrusted text (an alias from the network). */
function quote(s: string): string {
  return JSON.stringify(s).replace(
    /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g,
    (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'),
  );
}

const fold = (s: string): string => s.normalize('NFC').toLowerCase();

/** The known aliases closest to `given`, closest first (at most `n`); equally close ones in code-unit order. */
export function closestAliases(given: string, known: readonly string[], n = SHOWN): string[] {
  return closestNames(given, [...new Set(known)].sort(), n);
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
        ? 'no channel of this node has a known peer alias; give the channel id or BLOCKxTXxOUT'
        : `closest: ${near.map(quote).join(', ')} (aliases match whole, case-insensitively)`;
    out.push(
      `${option} ${quote(alias)} matches no peer alias of this node's channels, so it keeps nothing until a channel with that alias opens; ${hint}`,
    );
  }
  return out;
}
