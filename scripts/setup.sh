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
# Share cards are drawn in the Noto fonts (SIL Open Font License 1.1): Latin, Greek,
# Cyrillic and Arabic script (Persian) in fonts-noto-core, Chinese, Japanese and Korean in
# fonts-noto-cjk. Pillow's wheels shape right-to-left text with libraqm, which loads
# libfribidi0 from the system. Without them cards fall back to Pillow's own font.
if command -v apt-get >/dev/null 2>&1; then
  fonts_missing=()
  for pkg in fonts-noto-core fonts-noto-cjk libfribidi0; do
    [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" = "install ok installed" ] \
      || fonts_missing+=("$pkg")
  done
  if [ ${#fonts_missing[@]} -gt 0 ]; then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${fonts_missing[@]}"
  fi
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
extras="${1:-}"
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".${extras:+[$extras]}"
