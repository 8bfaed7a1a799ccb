/**
 * The message for a word where a command would be (`htlc-tail chek`):
 * SPEC: "A mistyped command is a usage error (exit 2) that names the closest
 * command". The closest is by Levenshtein distance (case-insensitive); it is
 * named as "did you mean" when it is close enough to be a typo, and the
 * commands are always listed.
 */
import leven from 'leven';

/** The closest name to `word`, and whether it is close enough to be a typo of it. */
export function closestName(word: string, names: readonly string[]): { name: string; likely: boolean } | undefined {
  const w = word.toLowerCase();
  let best: { name: string; d: number } | undefined;
  for (const name of names) {
    const d = leven(w, name.toLowerCase());
    if (best === undefined || d < best.d) best = { name, d };
  }
  if (best === undefined) return undefined;
  const close = best.d <= Math.max(2, Math.floor(Math.max(w.length, best.name.length) / 2)) || best.name.startsWith(w) || w.startsWith(best.name);
  return { name: best.name, likely: close };
}

export function unknownCommandMessage(word: string, names: readonly string[]): string {
  const shown = JSON.stringify(word.length > 40 ? `${word.slice(0, 40)}…` : word);
  const list = names.join(', ');
  if (word.toLowerCase() === 'tail') {
    return `${shown} is not a command: tailing is the default, so run htlc-tail with options only (commands: ${list}); see htlc-tail --help`;
  }
  const best = closestName(word, names);
  const mean = best?.likely ? ` (did you mean ${best.name}?)` : '';
  return `unknown command ${shown}${mean}; the commands are ${list}, and with no command htlc-tail tails lnd (options only); see htlc-tail --help`;
}
