#!/usr/bin/env bash
# The main job: the counter app with a local central loyalty server and demo data (embedded SQLite).
#   1. installs what it needs (system packages, .venv, the project)
#   2. starts `loyalty-server serve --demo` on 127.0.0.1:8765 (data in ./var/demo/server)
#   3. on first run: enrolls this terminal with the server and enrolls demo members (their signed member
#      codes come back with the next sync)
#   4. runs the sync service in the background and opens the counter window
# Delete ./var/demo to start over. Extra arguments go to `pos-terminal app`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh runtime
. .venv/bin/activate

DEMO_DIR="${POS_DEMO_DIR:-$PWD/var/demo}"
PORT="${POS_DEMO_PORT:-8765}"
SERVER="http://127.0.0.1:$PORT"
export POS_DATA_DIR="$DEMO_DIR/terminal"
mkdir -p "$DEMO_DIR"
SERVER_DB="sqlite:///$DEMO_DIR/server/loyalty-demo.sqlite3"

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

echo ">> starting the demo loyalty server on $SERVER (log: $DEMO_DIR/server.log)"
loyalty-server serve --demo --demo-dir "$DEMO_DIR/server" --port "$PORT" >"$DEMO_DIR/server.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do
  if python - "$SERVER" <<'PY' 2>/dev/null; then break; fi
import sys, httpx
sys.exit(0 if httpx.get(sys.argv[1] + "/v1/hello", timeout=1).status_code == 200 else 1)
PY
  if ! kill -0 "${pids[0]}" 2>/dev/null; then echo "the demo server did not start:" >&2; cat "$DEMO_DIR/server.log" >&2; exit 1; fi
  sleep 0.5
done

if [ ! -f "$POS_DATA_DIR/ledger.sqlite3" ]; then
  code=$(loyalty-server --database-url "$SERVER_DB" terminal code BKK01 | grep -oE 'enrollment code [A-Z0-9-]+' | awk '{print $3}')
  echo ">> enrolling this terminal with code $code"
  pos-terminal enroll --server "$SERVER" --code "$code"
  pos-terminal member enroll --name "สมชาย ใจดี" --phone 081-234-5678 --operator cashier1 >/dev/null
  pos-terminal member enroll --name "Jane Doe" --phone 089-876-5432 --operator cashier1 >/dev/null
  pos-terminal award --member 0812345678 --amount 1,250.00 --receipt DEMO-0001 --operator cashier1 >/dev/null
  pos-terminal sync --once >/dev/null
  pos-terminal sync --once >/dev/null  # the server's signed member codes come back
fi

echo ">> sync service running in the background (log: $DEMO_DIR/sync.log)"
pos-terminal sync >"$DEMO_DIR/sync.log" 2>&1 &
pids+=($!)
echo ">> demo staff: cashier PIN 1111, manager PIN 9999; demo members: 081-234-5678, 089-876-5432"
pos-terminal app "$@"
