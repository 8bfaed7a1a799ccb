/** readFileCapped: regular files up to the cap; anything else refused with a code and a reason, without reading it. */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileReadError, INPUT_FILE_CAP_BYTES, readFileCapped, sizeText } from '../../src/runtime/read-file.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'htlc-tail-readfile-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function failure(p: string, cap?: number): { code: string; reason: string } {
  try {
    readFileCapped(p, cap);
  } catch (e) {
    expect(e).toBeInstanceOf(FileReadError);
    return { code: (e as FileReadError).code, reason: (e as FileReadError).reason };
  }
  throw new Error(`${p} was read`);
}

describe('readFileCapped', () => {
  test('a regular file, and one exactly at the cap, are read whole; a symlink to one too', () => {
    const p = path.join(dir, 'ok');
    writeFileSync(p, 'hello');
    expect(readFileCapped(p).toString()).toBe('hello');
    const at = path.join(dir, 'at-cap');
    writeFileSync(at, Buffer.alloc(100, 1));
    expect(readFileCapped(at, 100)).toHaveLength(100);
    const link = path.join(dir, 'link');
    symlinkSync(p, link);
    expect(readFileCapped(link).toString()).toBe('hello');
  });

  test.each([
    ['/dev/zero', 'ENOTREG', 'not a regular file (a character device)'],
    ['/dev/urandom', 'ENOTREG', 'not a regular file (a character device)'],
    ['/nonexistent/file', 'ENOENT', 'no such file'],
  ])('%s → %s', (p, code, reason) => {
    expect(failure(p)).toEqual({ code, reason });
  });

  test('a directory, a file over the cap (by its size), a FIFO (without blocking)', () => {
    const d = path.join(dir, 'd');
    mkdirSync(d);
    expect(failure(d)).toEqual({ code: 'EISDIR', reason: 'it is a directory' });
    const big = path.join(dir, 'big');
    writeFileSync(big, '');
    truncateSync(big, INPUT_FILE_CAP_BYTES + 1);
    expect(failure(big)).toEqual({ code: 'EFBIG', reason: 'larger than 1 MiB' });
    expect(failure(path.join(dir, 'at-cap'), 99)).toEqual({ code: 'EFBIG', reason: 'larger than 99 bytes' });
    const fifo = path.join(dir, 'fifo');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      return; // no mkfifo here
    }
    expect(failure(fifo)).toEqual({ code: 'ENOTREG', reason: 'not a regular file (a FIFO)' });
  });

  test('sizeText', () => {
    expect([sizeText(1024 * 1024), sizeText(64 * 1024), sizeText(1000)]).toEqual(['1 MiB', '64 KiB', '1000 bytes']);
  });
});
