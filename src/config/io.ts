/** What resolveConfig may touch of the outside world; tests pass fakes. */
import fs from 'node:fs';
import os from 'node:os';
import { readFileCapped } from '../runtime/read-file.js';

export interface ResolveIO {
  /**
   * Reads a file (throws an error with an errno-like `code`, and a `reason` in
   * words when there is one, when it cannot). Used for lnd.conf only. The real
   * one reads only a regular file of at most 1 MiB (runtime/read-file.ts).
   */
  readFile(path: string): string | Buffer;
  /** Whether a path exists (lnd.conf, the default tls.cert). */
  exists(path: string): boolean;
  readonly platform: NodeJS.Platform;
  /** The user's home directory ('' when unknown). */
  readonly homedir: string;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
}
export type ConfigIo = ResolveIO;

/** The real process's IO. */
export function defaultConfigIo(): ResolveIO {
  let home = '';
  try {
    home = os.homedir();
  } catch {
    home = '';
  }
  return {
    readFile: (p) => readFileCapped(p),
    exists: (p) => fs.existsSync(p),
    platform: process.platform,
    homedir: home,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
  };
}
