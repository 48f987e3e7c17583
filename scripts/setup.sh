#!/usr/bin/env bash
# Shared set-up for the README commands: system packages, then a virtual environment with the project.
# Usage: scripts/setup.sh [runtime|test]   (idempotent; fast when everything is already there)
set -euo pipefail
cd "$(dirname "$0")/.."
MODE="${1:-runtime}"

RUNTIME_PKGS=(python3-venv libzbar0 libfribidi0 libusb-1.0-0 libgl1 libegl1 libglib2.0-0 libfontconfig1 libdbus-1-3 libxkbcommon0
  libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
  libxcb-xinerama0 libxcb-shape0 libxcb-randr0 libxcb-xfixes0 libxcb-xkb1 xvfb xauth)
TEST_PKGS=(postgresql chromium shellcheck)  # chromium: the console tests drive it headless (tests/sync/server/test_console_browser.py);
# shellcheck: packaging's scripts and the .deb's maintainer scripts are checked (tests/test_packaging*.py)

missing=()
want=("${RUNTIME_PKGS[@]}")
[ "$MODE" = "test" ] && want+=("${TEST_PKGS[@]}")
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo ">> installing system packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY="${PYTHON:-}"
if [ -z "$PY" ]; then
  for cand in python3 python3.13 python3.12 python3.11; do
    if command -v "$cand" >/dev/null && "$cand" -c "import sys; sys.exit(sys.version_info < (3, 11))" 2>/dev/null; then
      PY="$cand"; break
    fi
  done
fi
[ -n "$PY" ] || { echo "Python 3.11 or newer is needed" >&2; exit 1; }

if [ ! -x .venv/bin/python ]; then
  echo ">> creating .venv with $PY"
  "$PY" -m venv .venv
fi
EXTRAS=""
[ "$MODE" = "test" ] && EXTRAS="[dev]"
STAMP=".venv/.installed-$MODE"
if [ ! -f "$STAMP" ] || [ pyproject.toml -nt "$STAMP" ]; then
  echo ">> installing the project into .venv"
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".$EXTRAS" 2>&1 | grep -v "^WARNING: Location" || true
  .venv/bin/python -c "import pos_app, sync, hardware" && touch "$STAMP"
fi
