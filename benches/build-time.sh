#!/bin/bash
# Median wall time and peak memory of `metodbok build`:
#   benches/build-time.sh BINARY SITE [RUNS]
# One warm-up build, then RUNS builds (default 7) into a fresh folder each, timed with
# /usr/bin/time (10 ms resolution); prints the median run's time and peak RSS.
set -euo pipefail
bin=$1
site=$2
runs=${3:-7}
out=$(mktemp -d)/public
"$bin" build "$site" --out "$out" >/dev/null 2>&1
for _ in $(seq "$runs"); do
  rm -rf "$out"
  /usr/bin/time -f "%e %M" "$bin" build "$site" --out "$out" 2>&1 >/dev/null | tail -1
done | sort -n | awk '{t[NR]=$1; m[NR]=$2} END {i=int((NR+1)/2); printf "median %.0f ms, peak RSS %.0f MB (%d runs)\n", t[i]*1000, m[i]/1024, NR}'
rm -rf "$(dirname "$out")"
