/**
 * A setting the user gave, by a flag or else by its environment variable,
 * with the name to tell the user to change (`--rpcserver`, `LNCLI_RPCSERVER`).
 * Values are trimmed; an empty flag is a usage error, an empty variable counts
 * as unset.
 */
import { usageError } from '../errors.js';
import { getEnv, type Env } from './paths.js';

export interface Given {
  readonly value: string;
  readonly source: string;
}

export type GivenReader = (flag: string | undefined, flagName: string, envName?: string) => Given | undefined;

/** `readEnv` false: only flags count (a node from an lncli profile ignores the LNCLI_* variables, as lncli does). */
export function givenReader(env: Env, platform: NodeJS.Platform, readEnv: boolean): GivenReader {
  return (flag, flagName, envName) => {
    if (flag !== undefined) {
      if (flag.trim() === '') throw usageError(`${flagName} needs a value; see htlc-tail --help`);
      return { value: flag.trim(), source: flagName };
    }
    if (envName && readEnv) {
      const v = getEnv(env, envName, platform);
      if (v !== undefined && v.trim() !== '') return { value: v.trim(), source: envName };
    }
    return undefined;
  };
}
