#!/usr/bin/env bash
# Sets up sitegen in its own virtual environment, .venv/ (Debian's Python refuses a bare
# `pip install`): `scripts/setup.sh` for sitegen alone, `scripts/setup.sh test,search` with
# extras. Installs Debian's python3-venv first where the venv module is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! python3 -c "import ensurepip, venv" >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q python3-venv
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
extras="${1:-}"
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".${extras:+[$extras]}"
