/**
 * "Did you mean": the candidates closest to a mistyped word, the one helper
 * behind every suggestion (commands, --reason names, profile names, peer
 * aliases). Compared case-insensitively (Unicode NFC, lower case):
 *
 * 1. a candidate that starts with the word, or that the word starts with;
 * 2. then one that contains the word, or that the word contains;
 * 3. then the rest, by Levenshtein distance (`leven`).
 *
 * Within each rank the smaller distance comes first, then the candidates'
 * own order. `maxDistance` (a number, or one per candidate) drops rank-3
 * candidates further than that from the word (a prefix or containment is
 * always close enough).
 */
import leven from 'leven';

const fold = (s: string): string => s.normalize('NFC').toLowerCase();

export function closestNames(
  word: string,
  candidates: readonly string[],
  n: number,
  maxDistance: number | ((candidate: string) => number) = Number.POSITIVE_INFINITY,
): string[] {
  const limit = typeof maxDistance === 'function' ? maxDistance : () => maxDistance;
  const w = fold(word);
  const scored: Array<{ name: string; rank: number; d: number; i: number }> = [];
  candidates.forEach((name, i) => {
    const c = fold(name);
    const rank = c.startsWith(w) || w.startsWith(c) ? 0 : c.includes(w) || w.includes(c) ? 1 : 2;
    const d = leven(w, c);
    if (rank < 2 || d <= limit(name)) scored.push({ name, rank, d, i });
  });
  scored.sort((a, b) => a.rank - b.rank || a.d - b.d || a.i - b.i);
  return scored.slice(0, n).map((s) => s.name);
}

/** The usual limit for a typo: half the word's length, at least 2. */
export function typoDistance(word: string): number {
  return Math.max(2, Math.floor(word.length / 2));
}
