#!/usr/bin/env bash
# How long the code takes to build, for two commits side by side:
#   benches/measure-build.sh BEFORE AFTER
# For each commit, in a worktree of its own with an empty target folder: a cold release build,
# a cold test build (`cargo test --no-run`), then three warm test builds after touching
# src/lib.rs. Prints one line per measurement (commit, what, seconds) and the number of
# integration-test binaries linked. Run it on a machine with nothing else building.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 BEFORE AFTER" >&2; exit 2; }
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'git -C "$repo" worktree remove --force "$work/before" 2>/dev/null; git -C "$repo" worktree remove --force "$work/after" 2>/dev/null; rm -rf "$work"' EXIT

seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc; }

for which in before after; do
  rev=$1; [ "$which" = after ] && rev=$2
  git -C "$repo" worktree add -q --detach "$work/$which" "$rev"
  cd "$work/$which"
  export CARGO_TARGET_DIR="$work/target-$which"
  echo "$rev release_cold $(seconds cargo build --release --locked)"
  echo "$rev test_build_cold $(seconds cargo test --locked --no-run)"
  for _ in 1 2 3; do
    touch src/lib.rs
    echo "$rev test_build_warm $(seconds cargo test --locked --no-run)"
  done
  echo "$rev test_binaries $(find "$CARGO_TARGET_DIR/debug/deps" -maxdepth 1 -type f -perm -u+x \
    -regextype posix-extended -regex '.*/(all|build|content|diagnostics|fuzz|municipal|serve|skeletons|bad_input)-[0-9a-f]+' | wc -l)"
done
