#!/usr/bin/env bash
# Sets up everything the tests need on a fresh Debian machine, then runs the whole suite.
# The README's test command and .ci/run both call this script, so CI installs what a developer does.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_install() {
  # Debian's chromium drives the browser tests (Playwright never downloads a browser here).
  local missing=()
  for pkg in "$@"; do  # a half-installed package counts as missing
    [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" = "install ok installed" ] \
      || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
}

apt_install chromium
# The share-card tests draw Persian and Japanese headlines in Noto (scripts/setup.sh too).
apt_install fonts-noto-core fonts-noto-cjk libfribidi0
# `sitegen deploy` runs rsync and git; the deploy tests run both for real.
command -v rsync >/dev/null 2>&1 || apt_install rsync
command -v git >/dev/null 2>&1 || apt_install git
# The theme proof runs the Nu HTML Checker (vnu.jar) on Java, and axe-core and Lighthouse
# from tests/browser/node_modules, pinned by its package-lock.json.
command -v java >/dev/null 2>&1 || apt_install default-jre-headless
command -v npm >/dev/null 2>&1 || apt_install nodejs npm
if [ ! -d tests/browser/node_modules ]; then
  # --ignore-scripts: vnu-jar's postinstall would download a Java we already have.
  (cd tests/browser && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi
bash scripts/setup.sh test,search
.venv/bin/python -m ruff check sitegen tests benchmarks scripts
.venv/bin/python -m mypy --strict sitegen
# One worker per core, each taking whole test files (their module fixtures build once):
# the suite takes about half the time it takes in one process on this 2-core machine.
.venv/bin/python -m pytest -n auto --dist loadfile "$@"
