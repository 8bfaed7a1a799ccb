/**
 * The input of `replay`: a file, or standard input for `-` (and when no file
 * is given). A file that cannot be read is a configuration error (exit 3)
 * naming it.
 */
import fs from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { configError } from '../errors.js';

export interface ReplayInput {
  readonly stream: Readable;
  /** For messages: the path, or "standard input". */
  readonly name: string;
  readonly isStdin: boolean;
}

export const READ_CHUNK_BYTES = 256 * 1024;

function why(code: string | undefined): string {
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    default:
      return code ?? 'cannot open it';
  }
}

/** `command`: who reads, for messages (`replay`, `report`). */
export async function openReplayInput(file: string | undefined, command = 'replay'): Promise<ReplayInput> {
  if (file === undefined || file === '-') return { stream: process.stdin, name: 'standard input', isStdin: true };
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    throw configError(
      `${command}: cannot read ${file} (${why((e as NodeJS.ErrnoException).code)}); give a capture file (e.g. from htlc-tail -f raw > FILE), or - for standard input`,
      e,
    );
  }
  const st = await fh.stat();
  if (st.isDirectory()) {
    await fh.close();
    throw configError(`${command}: ${file} is a directory; give a capture file, or - for standard input`);
  }
  const stream = fs.createReadStream('', { fd: fh, highWaterMark: READ_CHUNK_BYTES });
  return { stream, name: file, isStdin: false };
}
