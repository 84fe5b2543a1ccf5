#!/usr/bin/env python3
"""Keystroke -> first screen bytes, measured on a real pty.

Usage: scripts/key_latency.py BINARY [ROUNDS]

Starts `BINARY demo` on a pseudo-terminal (120x40), waits until the first
screen has settled, then presses `j` / `k` alternately ROUNDS times at
irregular intervals and measures, for each key, the time from writing the
key to the first screen write that moves the selection marker (the clock
columns redraw by themselves, so "any byte" would flatter a slow loop).
Prints median, p90 and max.
"""
import os
import pty
import random
import select
import signal
import statistics
import struct
import sys
import time
import fcntl
import termios

MARKER = "\u25b6".encode()


def drain(fd, quiet_for, limit=2.0):
    """Read until nothing arrives for `quiet_for` seconds (at most `limit`)."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        r, _, _ = select.select([fd], [], [], quiet_for)
        if not r:
            return
        try:
            if not os.read(fd, 65536):
                return
        except OSError:
            return


def main():
    binary = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.execv(binary, [binary, "demo"])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    os.kill(pid, signal.SIGWINCH)
    # Let the demo start and its watches settle.
    deadline = time.time() + 20
    while time.time() < deadline:
        r, _, _ = select.select([fd], [], [], 0.5)
        if r:
            os.read(fd, 65536)
    drain(fd, 1.5, 5)
    samples = []
    rng = random.Random(7)
    for i in range(rounds):
        drain(fd, 0.3)
        time.sleep(rng.uniform(0.05, 0.9))
        start = time.monotonic()
        os.write(fd, b"j" if i % 2 == 0 else b"k")
        # The first write that moves the selection marker; the clock
        # columns redraw on their own, so any byte would not do.
        got = b""
        while MARKER not in got and time.monotonic() - start < 5:
            r, _, _ = select.select([fd], [], [], 0.05)
            if r:
                got += os.read(fd, 65536)
        samples.append((time.monotonic() - start) * 1000)
    os.write(fd, b"q")
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
    samples.sort()
    print(
        f"{len(samples)} keys: median {statistics.median(samples):.1f} ms, "
        f"p90 {samples[int(len(samples) * 0.9) - 1]:.1f} ms, max {samples[-1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
