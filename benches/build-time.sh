#!/bin/bash
# Median wall time and peak memory of `metodbok build`:
#   benches/build-time.sh BINARY SITE [RUNS]
# One warm-up build, then RUNS builds (default 7) into a fresh folder each; each is timed to
# the millisecond around /usr/bin/time, which gives its peak RSS. Prints the median run's time
# and the median peak. A build that fails stops the script with its message.
set -euo pipefail
bin=$1
site=$2
runs=${3:-7}
out=$(mktemp -d)/public
"$bin" build "$site" --out "$out" >/dev/null 2>&1 || { "$bin" build "$site" --out "$out"; exit 1; }
for _ in $(seq "$runs"); do
  rm -rf "$out"
  start=$(date +%s%N)
  rss=$(/usr/bin/time -f "%M" "$bin" build "$site" --out "$out" 2>&1 >/dev/null | tail -1)
  end=$(date +%s%N)
  echo "$(( (end - start) / 1000000 )) $rss"
done | python3 -c '
import statistics, sys
rows = [line.split() for line in sys.stdin if line.strip()]
ms = statistics.median(int(r[0]) for r in rows)
mb = statistics.median(int(r[1]) for r in rows) / 1024
print(f"median {ms:.0f} ms, peak RSS {mb:.0f} MB ({len(rows)} runs)")'
rm -rf "$(dirname "$out")"
