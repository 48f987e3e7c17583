#!/usr/bin/env bash
# Smoke test of the BUILT package (not the source tree): run it after packaging/build.sh, or on a
# terminal after install:   packaging/smoke_test.sh [path/to/pos-terminal]   (default dist/pos-terminal/pos-terminal)
#
# Every step runs the frozen executable in a throw-away data folder and checks what a user would see:
# version/help, init with demo data, an award and the new balance, doctor --json, a member card rendered
# and scanned back (zxing in-process and pyzbar in its isolated worker process), the bundled demo video,
# and the counter window under QT_QPA_PLATFORM=offscreen (app --smoke: shown, then closed).
# With SMOKE_SERVER=URL and SMOKE_CODE=CODE (an enrollment code of a running loyalty server, e.g.
# `loyalty-server serve --demo` prints some) it also enrolls a second, empty terminal and syncs once.
# Exit 0 only if every step passed; prints one line per step and the total time.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ -n "${1:-}" ]]; then
    BIN="$1"
elif [[ -x "$HERE/pos-terminal/pos-terminal" ]]; then  # run from an unpacked kit
    BIN="$HERE/pos-terminal/pos-terminal"
else
    BIN="$HERE/../dist/pos-terminal/pos-terminal"
fi
if [[ ! -x "$BIN" ]]; then
    echo "FAIL no executable at $BIN (run packaging/build.sh first)" >&2
    exit 2
fi
BUNDLE="$(cd "$(dirname "$BIN")" && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/pos-smoke.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
DATA="$WORK/data"
# nothing from the build machine may leak in: no source tree on the path, no user config, no fonts override
unset PYTHONPATH POS_FONTS_DIR POS_CONFIG POS_DATA_DIR
export HOME="$WORK/home" POS_LANG=en
mkdir -p "$HOME"
cd "$WORK" || exit 2

failures=0
start=$(date +%s)

step() {  # step NAME EXPECTED_GREP_PATTERN -- command...
    local name="$1" pattern="$2"
    shift 3
    local out rc
    out="$("$@" 2>&1)"
    rc=$?
    if [[ $rc -eq 0 ]] && grep -Eq -- "$pattern" <<<"$out"; then
        echo "ok   $name"
    else
        echo "FAIL $name (exit $rc)"
        sed 's/^/     | /' <<<"$out" | head -20
        failures=$((failures + 1))
    fi
}

refused() {  # refused NAME PATTERN -- command...: must exit non-zero with one line matching, no traceback
    local name="$1" pattern="$2"
    shift 3
    local out rc
    out="$("$@" 2>&1)"
    rc=$?
    if [[ $rc -ne 0 ]] && [[ $(grep -c . <<<"$out") -eq 1 ]] && grep -Eq -- "$pattern" <<<"$out"; then
        echo "ok   $name"
    else
        echo "FAIL $name (exit $rc)"
        sed 's/^/     | /' <<<"$out" | head -20
        failures=$((failures + 1))
    fi
}

pt() { "$BIN" --data-dir "$DATA" "$@"; }

step "version" '^pos-terminal, version [0-9]' -- "$BIN" --version
step "help lists the commands" 'enroll.*' -- "$BIN" --help
step "init with demo data" 'Terminal ready' -- pt init --demo
step "award on demo data" 'earned 49 points' -- pt award --member 0812345678 --amount 1,234.50 --receipt SMOKE-1
step "balance after award" '"balance": 49' -- pt --json balance --member 0812345678
step "Thai catalog is bundled" 'แต้ม' -- pt --lang th award --member 0812345678 --amount 100 --receipt SMOKE-2 --preview
step "backup" '"ok": true' -- pt --json backup
step "doctor --json" '"ok": true' -- pt --json doctor
step "doctor reads schema from bundled migrations" '"check": "schema"' -- pt --json doctor
MEMBER="$(pt --json member find --phone 0812345678 | grep -o '"id": "[^"]*"' | head -1 | cut -d'"' -f4)"
step "card render (Thai font bundled)" 'scans back' -- pt card render --member "$MEMBER" --out "$WORK/card.png"
step "scan the card (zxing)" "\"verified\": true.*\"id\": \"$MEMBER\"|\"id\": \"$MEMBER\".*\"verified\": true" -- pt --json scan "$WORK/card.png"
step "scan the card (pyzbar worker process)" 'QR code LM1' -- pt scan --decoder pyzbar --no-lookup "$WORK/card.png"
step "scan the bundled demo video" 'QR code' -- pt scan --no-lookup "$BUNDLE/_internal/resources/demo/card_demo.avi"
refused "bad input is refused in one line" '^Error: .*' -- pt award --member 0812345678 --amount abc --receipt X

if [[ -n "${SMOKE_SERVER:-}" && -n "${SMOKE_CODE:-}" ]]; then
    step "enroll with $SMOKE_SERVER" 'Enrolled as terminal' -- "$BIN" --data-dir "$WORK/enrolled" enroll --server "$SMOKE_SERVER" --code "$SMOKE_CODE"
    step "sync once" 'Synced' -- "$BIN" --data-dir "$WORK/enrolled" sync --once
    step "doctor says enrolled" '"mode": "enrolled"' -- "$BIN" --data-dir "$WORK/enrolled" --json doctor
else
    echo "skip enroll + sync (set SMOKE_SERVER and SMOKE_CODE)"
fi

# The counter window: `app --smoke` opens it, waits until the sign-in screen is up with the ledger open, and
# exits 0 (1 with a one-line reason). Offscreen always; on X11 (the xcb plugin, as at a counter) when
# xvfb-run is installed.
app_step() {  # app_step NAME LAUNCHER...
    local name="$1" log="$WORK/app.log"
    shift
    if timeout 120 "$@" "$BIN" --data-dir "$DATA" app --smoke >"$log" 2>&1 \
        && ! grep -Eq 'Traceback|could not load|Could not load' "$log"; then
        echo "ok   $name: window shown, closed cleanly"
    else
        echo "FAIL $name"; sed 's/^/     | /' "$log" | head -20
        failures=$((failures + 1))
    fi
}
app_step "app (offscreen)" env QT_QPA_PLATFORM=offscreen
if command -v xvfb-run >/dev/null; then
    app_step "app (X11 via xvfb-run)" env -u QT_QPA_PLATFORM -u WAYLAND_DISPLAY xvfb-run -a
else
    echo "skip app on X11 (install xvfb to test the xcb plugin)"
fi

echo "smoke: $failures failure(s), $(( $(date +%s) - start )) s, bundle $(du -sh "$BUNDLE" | cut -f1)"
[[ $failures -eq 0 ]]
