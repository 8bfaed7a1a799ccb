/**
 * Reading a small input file (a TLS cert, a macaroon, lnd.conf) safely: only
 * a regular file, and at most a few bytes over the cap. A FIFO would block the
 * read forever, and /dev/zero or /dev/urandom would grow without end; both are
 * refused, as is a file larger than the cap. The file is opened without
 * blocking (a FIFO's open waits for a writer otherwise) and checked on the
 * open descriptor, so what is read is what was checked.
 */
import fs from 'node:fs';

/** The cap for cert, macaroon and lnd.conf files: lnd's are a few KB at most. */
export const INPUT_FILE_CAP_BYTES = 1024 * 1024;

/** Why a file could not be read; `reason` is a few words for a message, `code` an errno-like code. */
export class FileReadError extends Error {
  constructor(
    readonly code: string,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'FileReadError';
  }
}

/** `1 MiB`, `64 KiB`, `100 bytes`. */
export function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

function kindOf(st: fs.Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a file';
}

function fromErrno(e: unknown): FileReadError {
  const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
  const reason =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'ENOTDIR'
            ? 'a part of the path is not a directory'
            : code === 'ELOOP'
              ? 'too many symbolic links'
              : code;
  return new FileReadError(code, reason);
}

/** Reads a regular file of at most `maxBytes`; throws a FileReadError otherwise. */
export function readFileCapped(path: string, maxBytes: number = INPUT_FILE_CAP_BYTES): Buffer {
  let fd: number;
  try {
    fd = fs.openSync(path, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw fromErrno(e);
  }
  try {
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) throw new FileReadError('EISDIR', 'it is a directory');
    if (!st.isFile()) throw new FileReadError('ENOTREG', `not a regular file (${kindOf(st)})`);
    const tooLarge = () => new FileReadError('EFBIG', `larger than ${sizeText(maxBytes)}`);
    if (st.size > maxBytes) throw tooLarge();
    // Read until the end, whatever the size said (it may have grown, or be 0 for a special file).
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(64 * 1024, maxBytes + 1 - total));
      let n: number;
      try {
        n = fs.readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        throw fromErrno(e);
      }
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > maxBytes) throw tooLarge();
    }
    return Buffer.concat(chunks, total);
  } finally {
    fs.closeSync(fd);
  }
}
