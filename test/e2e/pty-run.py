#!/usr/bin/env python3
"""Runs a command with its stdout on a pseudo-terminal of a given size, and
reports what it printed there, line by line, as JSON on our stdout.

  pty-run.py --cols N [--resize-after LINES --resize-to N] [--stderr-tty]
             [--interrupt-after SECONDS] -- CMD ARGS...

The child is made the session leader with the pty as its controlling
terminal, so setting a new size on the master (TIOCSWINSZ) makes the kernel
deliver SIGWINCH to it, as a terminal emulator does when its window is
resized, and typing Ctrl-C (writing ^C to the master) makes the terminal
deliver SIGINT and echo "^C", as when a person presses it. stdin is the pty
too; stderr is a pipe (returned apart), or the pty with --stderr-tty. Each
line comes with the time it arrived and its display width after ANSI
escapes are removed, measured here independently of htlc-tail's own code
(East Asian wide and fullwidth characters 2 columns, combining and format
characters 0).
"""
import argparse
import fcntl
import json
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time
import unicodedata

ROWS = 40
ANSI = re.compile(r'\x1b\[[0-9;?]*[A-Za-z]')


def set_size(fd, cols):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', ROWS, cols, 0, 0))


def width(s):
    w = 0
    for ch in s:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ('Mn', 'Me', 'Cf'):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ('W', 'F') else 1
    return w


def main():
    sep = sys.argv.index('--')
    cmd = sys.argv[sep + 1:]
    ap = argparse.ArgumentParser()
    ap.add_argument('--cols', type=int, required=True)
    ap.add_argument('--resize-after', type=int)
    ap.add_argument('--resize-to', type=int)
    ap.add_argument('--stderr-tty', action='store_true')
    ap.add_argument('--interrupt-after', type=float)
    a = ap.parse_args(sys.argv[1:sep])
    cols = a.cols
    resize_after = a.resize_after
    resize_cols = a.resize_to

    master, slave = os.openpty()
    set_size(master, cols)

    def child_setup():
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

    err = slave if a.stderr_tty else subprocess.PIPE
    proc = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=err, preexec_fn=child_setup, close_fds=True)
    os.close(slave)
    start = time.monotonic()
    buf = b''
    lines = []
    resized_at = None
    stderr = b''
    deadline = start + 90
    open_fds = {master} | ({proc.stderr.fileno()} if proc.stderr else set())
    interrupted = False
    while open_fds and time.monotonic() < deadline:
        if a.interrupt_after is not None and not interrupted and time.monotonic() - start >= a.interrupt_after:
            os.write(master, b'\x03')
            interrupted = True
        ready, _, _ = select.select(list(open_fds), [], [], 0.5)
        for fd in ready:
            try:
                data = os.read(fd, 65536)
            except OSError:
                data = b''
            if not data:
                open_fds.discard(fd)
                continue
            if proc.stderr and fd == proc.stderr.fileno():
                stderr += data
                continue
            buf += data
            while b'\n' in buf:
                raw, buf = buf.split(b'\n', 1)
                text = raw.decode('utf-8', 'replace').replace('\r', '')
                lines.append({'t': time.monotonic() - start, 'text': text, 'width': width(ANSI.sub('', text))})
                if resize_after is not None and resized_at is None and len(lines) >= resize_after:
                    set_size(master, resize_cols)
                    resized_at = time.monotonic() - start
        if proc.poll() is not None and not ready:
            break
    if proc.poll() is None:
        proc.kill()
    code = proc.wait()
    if buf:
        text = buf.decode('utf-8', 'replace').replace('\r', '')
        lines.append({'t': time.monotonic() - start, 'text': text, 'width': width(ANSI.sub('', text))})
    json.dump({'code': code, 'lines': lines, 'resizedAt': resized_at, 'stderr': stderr.decode('utf-8', 'replace')}, sys.stdout)


main()
