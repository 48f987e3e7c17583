#!/usr/bin/env bash
# Upgrade (or downgrade) an installed terminal to another packaged build without ever losing the ledger.
#
#   sudo ./upgrade.sh [--build DIR] [--user NAME] [--data-dir DIR] [--keep N]
#   ./upgrade.sh --prefix /tmp/stage ...    # against files staged by install.sh --prefix
#   ./upgrade.sh --dry-run ...
#
# 1. stop the sync service and the timers, and close the counter window (SIGTERM: it finishes queued
#    work and closes the ledger);
# 2. back up the ledger with the version in use (pos-terminal backup) BEFORE anything changes, kept as
#    <data>/backups/upgrades/pre-upgrade-<old>-to-<new>-<time>.sqlite3 (apart from the scheduled rotation;
#    the newest 4 are kept); if the backup fails, nothing is changed;
# 3. copy the new build to /opt/pos-terminal/<version> and switch the 'current' symlink (atomic);
# 4. run 'pos-terminal doctor' with the new version: it opens the ledger, so schema migrations run now,
#    each after its own pre-migration backup (<data>/backups/pre-migrate-*.sqlite3);
# 5. if doctor fails, put the pre-upgrade backup back as the ledger (atomically, by rename; the file the
#    new version left is kept as replaced-by-rollback-*) and switch 'current' back, before the old version
#    starts again. No ledger file and no backup is ever deleted by this script;
# 6. start the timers (and sync if it ran before) again; keep the newest N versions (default 3, always
#    including the one in use and the one before it).
# Exit status: 0 upgraded, 1 refused or rolled back.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=packaging/lib.sh
. "$HERE/lib.sh"

BUILD=""
KEEP=3

while [[ $# -gt 0 ]]; do
    case "$1" in
        --build) BUILD="$2"; shift 2 ;;
        --prefix) PREFIX="$(cd "$2" && pwd)"; shift 2 ;;
        --dry-run) DRY_RUN=1; shift ;;
        --user) COUNTER_USER="$2"; shift 2 ;;
        --data-dir) DATA_DIR="$2"; shift 2 ;;
        --keep) KEEP="$2"; shift 2 ;;
        -h|--help) sed -n '2,25p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
done
[[ "$KEEP" =~ ^[0-9]+$ && "$KEEP" -ge 2 ]] || die "--keep must be a number >= 2"

if [[ -z "$BUILD" ]]; then
    for candidate in "$HERE/pos-terminal" "$HERE/../dist/pos-terminal"; do
        if [[ -x "$candidate/pos-terminal" ]]; then BUILD="$(cd "$candidate" && pwd)"; break; fi
    done
fi
[[ -n "$BUILD" && -x "$BUILD/pos-terminal" ]] || die "no build found (give --build DIR)"
need_root

NEW="$(build_version "$BUILD")"
OLD="$(current_version)"
ROOT_DIR="$(p "$APP_ROOT")"
[[ -n "$OLD" && -x "$ROOT_DIR/$OLD/pos-terminal" ]] || die "no installed version in $ROOT_DIR: use install.sh first"
if [[ "$OLD" == "$NEW" ]]; then
    say "pos-terminal $NEW is already the version in use; nothing to do"
    exit 0
fi
LEDGER="$(p "$DATA_DIR")/ledger.sqlite3"
say "upgrading pos-terminal $OLD -> $NEW"

# 1. stop what uses the ledger
stop_jobs
if [[ -n "$PREFIX" || $DRY_RUN -eq 1 ]]; then
    say "skip: close the counter window of $COUNTER_USER"
elif ! stop_app; then
    restart_jobs
    die "the counter window did not close within ${APP_STOP_SECONDS}s; close it and run upgrade.sh again (nothing changed)"
fi

# 2. backup with the version in use, before anything changes, moved out of the scheduled rotation
if ! pre_upgrade_backup "$ROOT_DIR/$OLD/pos-terminal" "$OLD" "$NEW"; then
    restart_jobs
    die "$BACKUP_FAILURE"
fi

# 3. install the new version next to the old one and switch
TARGET="$ROOT_DIR/$NEW"
if [[ ! -d "$TARGET" ]]; then
    do_run rm -rf "$TARGET.partial"
    do_run cp -a "$BUILD" "$TARGET.partial"
    do_run mv -T "$TARGET.partial" "$TARGET"
fi
switch_link "$NEW" "$ROOT_DIR/current"

# 4. doctor with the new version (runs the migrations, each after its own backup)
check_ok=1
if [[ -f "$LEDGER" ]]; then
    as_counter "$ROOT_DIR/current/pos-terminal" doctor || check_ok=0
else
    as_counter "$ROOT_DIR/current/pos-terminal" --version || check_ok=0
fi

# 5. roll back if the new version is not healthy: first the ledger (the pre-upgrade backup, by an atomic
#    rename; the file the new version may have migrated is kept beside it), then the program
if [[ $check_ok -eq 0 ]]; then
    if [[ -n "$PRE_UPGRADE" ]]; then
        rollback_ledger "$NEW"
    fi
    switch_link "$OLD" "$ROOT_DIR/current"
    restart_jobs
    if [[ -n "$PRE_UPGRADE" ]]; then
        say "ROLLED BACK: doctor failed with $NEW; 'current' points at $OLD again and the ledger is the one"
        say "$OLD left (from $PRE_UPGRADE): nothing to restore by hand."
    else
        say "ROLLED BACK: doctor failed with $NEW; 'current' points at $OLD again (there was no ledger yet)."
    fi
    exit 1
fi

# 6. start again and keep the newest versions
restart_jobs
# an autostart entry written before 'pos-terminal counter' existed runs 'app': rewrite it, so that the window
# comes back in the new version after the next unattended update (section 8 of docs/installing-terminals.md)
if [[ -n "$PREFIX" ]]; then home="/home/$COUNTER_USER"; else home="$(getent passwd "$COUNTER_USER" | cut -d: -f6 || true)"; fi
autostart="$(p "$home")/.config/autostart/pos-terminal.desktop"
if [[ -n "$home" && -f "$autostart" ]] && grep -q '^Exec=.* app$' "$autostart"; then
    write_autostart "$autostart" "$(sed -n 's/^Exec=\(.*\) app$/\1/p' "$autostart")"
    sys_run chown "$COUNTER_USER:" "$home/.config/autostart/pos-terminal.desktop"
    say "autostart entry now runs 'pos-terminal counter' (the window comes back after an update)"
fi
# shellcheck disable=SC2010  # version folders named by build_version: no odd names
keep_list="$(ls -1 "$ROOT_DIR" | grep -v -e "^current$" -e "\.partial$" | sort -V -r | head -n "$KEEP" || true)"
for dir in "$ROOT_DIR"/*/; do
    name="$(basename "$dir")"
    [[ "$name" == "current" || "$name" == "$NEW" || "$name" == "$OLD" ]] && continue
    grep -qxF "$name" <<<"$keep_list" && continue
    do_run rm -rf "$ROOT_DIR/$name"
    say "removed old version $name"
done
say "upgraded pos-terminal $OLD -> $NEW; previous version kept in $ROOT_DIR/$OLD"
say "start the counter window again (log in as $COUNTER_USER, or run 'pos-terminal app' there)"
