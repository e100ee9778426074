#!/usr/bin/env python3
"""Build time and peak memory of two or more metodbok binaries on the same site, interleaved:
each round builds once with every binary in turn, so a slow spell of a shared machine falls on
all of them alike (back-to-back batches per binary were 30 % apart on this machine for the
same binary within minutes).

usage: benches/compare.py [--rebuild] SITE RUNS BINARY [BINARY ...]

Every build goes into an empty folder after one warm-up build per binary, or with --rebuild
into the folder its binary's last build wrote, as an author's repeated `metodbok build`
does; the folders are made under $TMPDIR (a tmpfs such as /dev/shm leaves the disk out).
Prints per binary the median wall time with its quartiles, the median CPU time (user and
system, all threads: the work done, which a busy host changes less than the wall time) and the
median peak resident memory (the kernel's rusage of the build process).
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def build(binary, site, out, rebuild=False):
    """One build into `out` (emptied first unless `rebuild`); returns (milliseconds, peak RSS
    in MB, CPU milliseconds)."""
    if not rebuild:
        shutil.rmtree(out, ignore_errors=True)
    start = time.monotonic()
    proc = subprocess.Popen([binary, "build", site, "--out", out], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    ms = (time.monotonic() - start) * 1000
    if status != 0:
        sys.exit(f"{binary} failed to build {site}:\n{proc.stderr.read().decode(errors='replace')}")
    return ms, usage.ru_maxrss / 1024, (usage.ru_utime + usage.ru_stime) * 1000


def main():
    args = sys.argv[1:]
    rebuild = "--rebuild" in args
    args = [a for a in args if a != "--rebuild"]
    if len(args) < 3:
        sys.exit(__doc__)
    site, runs, binaries = args[0], int(args[1]), args[2:]
    work = tempfile.mkdtemp(prefix="metodbok-compare-")
    # With --rebuild each binary keeps its own output, so it replaces what it wrote itself.
    outs = {b: os.path.join(work, f"public-{i}" if rebuild else "public") for i, b in enumerate(binaries)}
    try:
        for b in binaries:
            build(b, site, outs[b])
        results = {b: [] for b in binaries}
        for _ in range(runs):
            for b in binaries:
                results[b].append(build(b, site, outs[b], rebuild))
        how = "into the output of the last build" if rebuild else "into an empty folder"
        print(f"{site}, {runs} interleaved runs {how} under {os.path.dirname(work)}, "
              f"load average {os.getloadavg()[0]:.2f} after")
        for b in binaries:
            ms = sorted(r[0] for r in results[b])
            mb = statistics.median(r[1] for r in results[b])
            cpu = statistics.median(r[2] for r in results[b])
            q1, q3 = ms[len(ms) // 4], ms[(3 * len(ms)) // 4]
            print(f"  {b}: median {statistics.median(ms):.0f} ms (quartiles {q1:.0f} to {q3:.0f}), "
                  f"CPU {cpu:.0f} ms, peak RSS {mb:.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
