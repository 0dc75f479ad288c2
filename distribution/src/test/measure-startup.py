#!/usr/bin/env python3
"""Measures the bgupdate host: time from launch to a ready Gogo prompt, and resident memory.

Runs bin/bgupdate in a pseudo-terminal (as a user would) N times, each in a fresh working
directory unless --keep-data, waits for the 'g! ' prompt, samples VmRSS of the JVM when the
prompt appears and again --settle seconds later (updates running), then types 'exit'.

  python3 distribution/src/test/measure-startup.py [--runs 5] [--settle 10] [--keep-data]
      [--host distribution/target/bgupdate] [--java-opts '...']
"""
import argparse
import fcntl
import os
import pty
import select
import shutil
import statistics
import struct
import tempfile
import termios
import time


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def run_once(host, workdir, settle, java_opts):
    env = dict(os.environ)
    if java_opts is not None:
        env["JAVA_OPTS"] = java_opts
    start = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(workdir)
        os.execve(os.path.join(host, "bin", "bgupdate"), ["bgupdate"], env)
    # A terminal has a size; JLine shows no prompt on one of 0 columns.
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 160, 0, 0))
    out = b""
    ready = None
    deadline = start + 60
    while time.monotonic() < deadline:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            out += chunk
            if b"g! " in out:
                ready = time.monotonic() - start
                break
    if ready is None:
        os.kill(pid, 9)
        raise SystemExit("no prompt within 60 s:\n" + out.decode(errors="replace"))
    rss_ready = rss_mb(pid)
    # Ready means the bgupdate commands answer, not only the prompt.
    os.write(fd, b"bgupdate:status\r")
    out = b""
    while time.monotonic() < deadline and b"controller" not in out:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            out += os.read(fd, 4096)
            if b"not found" in out:
                out = b""
                time.sleep(0.05)
                os.write(fd, b"bgupdate:status\r")
    answered = time.monotonic() - start
    end = time.monotonic() + settle
    while time.monotonic() < end:  # keep draining the terminal
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                os.read(fd, 4096)
            except OSError:
                break
    rss_settled = rss_mb(pid)
    os.write(fd, b"exit\r")
    stop = time.monotonic()
    while time.monotonic() < stop + 30:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                os.read(fd, 4096)
            except OSError:
                pass
    else:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    return ready, rss_ready, rss_settled, time.monotonic() - stop, answered


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--settle", type=float, default=10)
    p.add_argument("--keep-data", action="store_true", help="reuse one working directory (data already generated)")
    p.add_argument("--host", default=os.path.join(here, "..", "..", "target", "bgupdate"))
    p.add_argument("--java-opts", default=None)
    a = p.parse_args()
    host = os.path.abspath(a.host)
    shared = tempfile.mkdtemp(prefix="bgupdate-measure-")
    results = []
    try:
        for i in range(a.runs):
            workdir = shared if a.keep_data else tempfile.mkdtemp(prefix="bgupdate-measure-", dir=shared)
            r = run_once(host, workdir, a.settle, a.java_opts)
            results.append(r)
            print(f"run {i + 1}: prompt {r[0]:.2f} s, status answered {r[4]:.2f} s, RSS {r[1]:.0f} MB at prompt, {r[2]:.0f} MB after {a.settle:.0f} s, "
                  f"exit took {r[3]:.1f} s", flush=True)
    finally:
        shutil.rmtree(shared, ignore_errors=True)
    ready = [r[0] for r in results]
    answered = [r[4] for r in results]
    print(f"prompt: median {statistics.median(ready):.2f} s, min {min(ready):.2f} s, max {max(ready):.2f} s; "
          f"status answered: median {statistics.median(answered):.2f} s, max {max(answered):.2f} s; "
          f"RSS at prompt median {statistics.median(r[1] for r in results):.0f} MB, "
          f"after {a.settle:.0f} s median {statistics.median(r[2] for r in results):.0f} MB")


if __name__ == "__main__":
    main()
