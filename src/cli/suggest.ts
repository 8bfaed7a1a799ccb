/**
 * The message for a word where a command would be (`htlc-tail chek`):
 * SPEC: "A mistyped command is a usage error (exit 2) that names the closest
 * command". The closest (util/closest-names.ts) is named as "did you mean"
 * when it is close enough to be a typo, and the commands are always listed.
 */
import { closestNames } from '../util/closest-names.js';

/** The command a mistyped word most likely means: within half the longer one's length (at least 2), or a prefix either way. */
function likelyCommand(word: string, names: readonly string[]): string | undefined {
  return closestNames(word, names, 1, (name) => Math.max(2, Math.floor(Math.max(word.length, name.length) / 2)))[0];
}

export function unknownCommandMessage(word: string, names: readonly string[]): string {
  const shown = JSON.stringify(word.length > 40 ? `${word.slice(0, 40)}…` : word);
  const list = names.join(', ');
  if (word.toLowerCase() === 'tail') {
    return `${shown} is not a command: tailing is the default, so run htlc-tail with options only (commands: ${list}); see htlc-tail --help`;
  }
  const best = likelyCommand(word, names);
  const mean = best !== undefined ? ` (did you mean ${best}?)` : '';
  return `unknown command ${shown}${mean}; the commands are ${list}, and with no command htlc-tail tails lnd (options only); see htlc-tail --help`;
}
