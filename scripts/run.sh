#!/usr/bin/env bash
# The main job: the counter app on demo data (embedded SQLite), from a fresh machine.
# Installs what it needs (system packages, .venv), then opens the counter window.
# Data lives in ./var/demo (delete the folder to start over). Extra arguments go to `pos-terminal app`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh runtime
. .venv/bin/activate
DEMO_DIR="${POS_DEMO_DIR:-$PWD/var/demo}"
export POS_DATA_DIR="$DEMO_DIR/terminal"
mkdir -p "$DEMO_DIR"
if [ ! -f "$POS_DATA_DIR/ledger.sqlite3" ]; then
  pos-terminal init --demo
fi
echo ">> demo staff: cashier PIN 1111, manager PIN 9999; demo members: 081-234-5678, 089-876-5432"
exec pos-terminal app "$@"
