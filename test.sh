#!/usr/bin/env bash
# The project's test command: formatting and clippy, the Rust tests (unit, integration,
# snapshots), the theme's JavaScript lint, then the browser quality gate
# (tests/browser: axe in Chromium, keyboard, reflow, requests, Nu HTML Checker).
# Needs /usr/bin/chromium (or $CHROMIUM), java, npm, pdftotext and soffice (LibreOffice) with
# python3-uno; .ci/run installs them on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || missing+=("chromium (Debian package chromium)")
command -v java >/dev/null 2>&1 || missing+=("java (Debian package default-jre-headless)")
command -v npm >/dev/null 2>&1 || missing+=("npm (Debian packages nodejs npm)")
command -v pdftotext >/dev/null 2>&1 || missing+=("pdftotext (Debian package poppler-utils)")
command -v soffice >/dev/null 2>&1 || missing+=("soffice (Debian package libreoffice-writer-nogui)")
/usr/bin/python3 -c 'import uno' >/dev/null 2>&1 || missing+=("/usr/bin/python3 with uno (Debian package python3-uno)")
if [ ${#missing[@]} -gt 0 ]; then
  printf 'test.sh: the tests need: %s\n' "${missing[@]}" >&2
  echo "test.sh: install them, or run .ci/run, which installs them" >&2
  exit 1
fi

# Layout and lints first: they are quick and say what is wrong in one line each.
cargo fmt --check
cargo clippy --locked --all-targets -- -D warnings
cargo test --locked

cd tests/browser
# Install the suite's npm packages from the lock file when they are missing or stale.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run lint
npm test
