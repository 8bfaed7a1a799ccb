/**
 * The typed boundary between Commander and the commands: Commander's parsed
 * options (typed by @commander-js/extra-typings from the flags in options.ts)
 * are handed on as the type config/options.ts declares for the command, and
 * this compiles only when the two have the same keys and every parsed value
 * fits the declared type. So renaming, adding or retyping a flag in
 * options.ts without its declared type (or the other way round) fails `tsc`
 * here, naming the keys that differ.
 */

/** The keys that only one of the two has (never when they agree). */
type KeysOnlyInOne<A, B> = Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>;

/**
 * `optionsAs<TailOptions>()(cmd.opts())`: the parsed options, unchanged, as
 * the declared type. The second parameter exists only when the keys differ,
 * so the call then fails to compile with the differing keys in its type.
 */
export function optionsAs<Declared>() {
  return <Parsed extends Declared>(
    parsed: Parsed,
    ...mismatch: [KeysOnlyInOne<Parsed, Declared>] extends [never]
      ? []
      : [keysThatDiffer: KeysOnlyInOne<Parsed, Declared>]
  ): Declared => {
    void mismatch;
    return parsed;
  };
}
