# shellcheck shell=bash disable=SC2034  # sourced: the variables are used by the scripts that source it
# Shared by install.sh, upgrade.sh and the .deb's maintainer scripts (sourced, not run).
#
# Layout on a terminal (every path below is put under $PREFIX when --prefix is given):
#   /opt/pos-terminal/<version>/        one onedir build per version, never modified after install
#   /opt/pos-terminal/current           symlink to the version in use (switched atomically)
#   /usr/local/bin/pos-terminal         wrapper: sets POS_DATA_DIR and runs current/pos-terminal
#   /etc/pos-terminal/terminal.toml     this branch's settings (from terminal.toml.example, never overwritten)
#   /etc/pos-terminal/environment       POS_DATA_DIR=... for the wrapper and the systemd units
#   /var/lib/pos-terminal/              the ledger, backups, credentials (owned by the counter account)
#   /etc/systemd/system/pos-terminal-*.{service,timer}, ~<user>/.config/autostart/pos-terminal.desktop
#
# --prefix DIR: stage the files under DIR and only PRINT the system commands (apt-get, useradd, chown,
# systemctl, runuser); for trying the scripts without root and for tests. --dry-run: print everything,
# change nothing.

PREFIX=""
DRY_RUN=0
COUNTER_USER="pos"
DATA_DIR="/var/lib/pos-terminal"
APP_ROOT="/opt/pos-terminal"
ETC_DIR="/etc/pos-terminal"
UNIT_DIR="/etc/systemd/system"
BIN_LINK="/usr/local/bin/pos-terminal"

say() { printf '%s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

p() { printf '%s%s' "$PREFIX" "$1"; }  # a system path, under --prefix if given

# Commands that change the system outside our files: printed, not run, under --prefix or --dry-run.
sys_run() {
    if [[ -n "$PREFIX" || $DRY_RUN -eq 1 ]]; then
        say "skip: $*"
        return 0
    fi
    "$@"
}

# File operations: printed, not run, under --dry-run.
do_run() {
    if [[ $DRY_RUN -eq 1 ]]; then
        say "would: $*"
        return 0
    fi
    "$@"
}

write_file() {  # write_file PATH MODE  (content on stdin)
    local path="$1" mode="$2" tmp
    if [[ $DRY_RUN -eq 1 ]]; then
        say "would: write $path (mode $mode)"
        cat >/dev/null
        return 0
    fi
    mkdir -p "$(dirname "$path")"
    tmp="$(mktemp "$(dirname "$path")/.tmp.XXXXXX")"
    cat >"$tmp"
    chmod "$mode" "$tmp"
    mv -f "$tmp" "$path"
}

# Point LINK at TARGET atomically (a reader sees the old or the new version, never nothing).
switch_link() {  # switch_link TARGET LINK
    local target="$1" link="$2"
    if [[ $DRY_RUN -eq 1 ]]; then
        say "would: ln -sfn $target $link"
        return 0
    fi
    ln -sfn "$target" "$link.new"
    mv -T "$link.new" "$link"
}

build_version() {  # build_version BUILD_DIR -> prints the version of an onedir build
    local build="$1" v=""
    if [[ -f "$build/VERSION" ]]; then
        v="$(tr -d '[:space:]' <"$build/VERSION")"
    elif [[ -x "$build/pos-terminal" ]]; then
        v="$("$build/pos-terminal" --version 2>/dev/null | sed -n 's/.*version \([^ ]*\).*/\1/p')"
    fi
    [[ "$v" =~ ^[0-9A-Za-z][0-9A-Za-z.+_-]*$ ]] || die "cannot tell the version of the build in $build"
    printf '%s' "$v"
}

# deb_version VERSION -> the Debian version of a PEP 440 release, ordered by dpkg as PEP 440 orders them
# (1.2.0.dev3 -> 1.2.0~~dev3, 1.2.0rc1 -> 1.2.0~rc1, 1.2.0.post1 -> 1.2.0+post1; at least three release parts,
# no trailing zeros beyond them). The same mapping as sync.release.debian_version (tests hold them equal).
deb_version() {
    local v="$1" re='^([0-9]{1,6}(\.[0-9]{1,6}){1,3})((a|b|rc)([0-9]{1,6}))?(\.post([0-9]{1,6}))?(\.dev([0-9]{1,6}))?$'
    local release kind pre post dev out part
    [[ "$v" =~ $re ]] || die "$v is not a release version such as 1.2.0 (PEP 440: 1.2.0rc1, 1.2.0.post1, 1.2.0.dev3)"
    release="${BASH_REMATCH[1]}" kind="${BASH_REMATCH[4]}" pre="${BASH_REMATCH[5]}"
    post="${BASH_REMATCH[7]}" dev="${BASH_REMATCH[9]}"
    local -a parts=()
    IFS=. read -r -a parts <<<"$release"
    for part in "${!parts[@]}"; do parts[part]=$((10#${parts[part]})); done
    while [[ ${#parts[@]} -lt 3 ]]; do parts+=(0); done
    while [[ ${#parts[@]} -gt 3 && ${parts[-1]} -eq 0 ]]; do unset 'parts[-1]'; done
    out="$(IFS=.; printf '%s' "${parts[*]}")"
    [[ -n "$kind" ]] && out+="~$kind$((10#$pre))"
    [[ -n "$post" ]] && out+="+post$((10#$post))"
    if [[ -n "$dev" ]]; then
        if [[ -n "$kind" || -n "$post" ]]; then out+="~dev$((10#$dev))"; else out+="~~dev$((10#$dev))"; fi
    fi
    printf '%s' "$out"
}

current_version() {  # the version 'current' points at, or "" if none
    local link
    link="$(p "$APP_ROOT")/current"
    if [[ -L "$link" ]]; then
        basename "$(readlink "$link")"
    fi
}

# Run the installed pos-terminal as the counter account, with the terminal's data folder.
# Under --prefix the binary is the staged one and runs as the current user (no runuser).
as_counter() {  # as_counter BINARY ARGS...
    local bin="$1"
    shift
    if [[ $DRY_RUN -eq 1 ]]; then
        say "would: run $bin $*"
        return 0
    fi
    if [[ -n "$PREFIX" ]]; then
        local config="${POS_CONFIG:-}"
        if [[ -z "$config" && -f "$(p "$ETC_DIR")/terminal.toml" ]]; then
            config="$(p "$ETC_DIR")/terminal.toml"
        fi
        POS_DATA_DIR="$(p "$DATA_DIR")" POS_CONFIG="$config" "$bin" "$@"
    elif [[ "$(id -un)" == "$COUNTER_USER" ]]; then
        POS_DATA_DIR="$DATA_DIR" "$bin" "$@"
    else
        runuser -u "$COUNTER_USER" -- env POS_DATA_DIR="$DATA_DIR" "$bin" "$@"
    fi
}

need_root() {
    if [[ -z "$PREFIX" && $DRY_RUN -eq 0 && $EUID -ne 0 ]]; then
        die "run as root (sudo), or try it with --prefix DIR / --dry-run"
    fi
}

# --------------------------------------------------------------------------------------------------------
# Upgrade steps shared by upgrade.sh and the .deb's maintainer scripts (packaging/deb/, which carry a copy
# of this file): stop the jobs, close the window, back up with the old version, roll the ledger back.
APP_STOP_SECONDS="${APP_STOP_SECONDS:-30}"
JOB_UNITS=(pos-terminal-backup.timer pos-terminal-expire.timer pos-terminal-update.timer)
SYNC_WAS_ACTIVE=0
PRE_UPGRADE=""
BACKUP_FAILURE=""

systemd_running() { [[ -d /run/systemd/system ]]; }

stop_jobs() {  # stop the timers and the sync service (remembering whether sync ran)
    SYNC_WAS_ACTIVE=0
    if [[ -z "$PREFIX" && $DRY_RUN -eq 0 ]] && ! systemd_running; then
        return 0  # a PC (or container) without systemd running: nothing to stop
    fi
    if [[ -z "$PREFIX" && $DRY_RUN -eq 0 ]] && systemctl is-active --quiet pos-terminal-sync.service 2>/dev/null; then
        SYNC_WAS_ACTIVE=1
    fi
    sys_run systemctl stop "${JOB_UNITS[@]}" pos-terminal-sync.service \
        pos-terminal-backup.service pos-terminal-expire.service || true
}

restart_jobs() {
    if [[ -z "$PREFIX" && $DRY_RUN -eq 0 ]] && ! systemd_running; then
        return 0
    fi
    sys_run systemctl start "${JOB_UNITS[@]}" || true
    if [[ $SYNC_WAS_ACTIVE -eq 1 ]]; then
        sys_run systemctl start pos-terminal-sync.service || true
    fi
}

stop_app() {  # SIGTERM the counter window(s) started from /opt/pos-terminal, wait for a clean close; 1 if not
    local pids pid waited=0
    pids="$(pgrep -u "$COUNTER_USER" -f "^$APP_ROOT/[^ ]*pos-terminal( .*)? app( |\$)" || true)"
    [[ -z "$pids" ]] && return 0
    say "closing the counter window (pid $(echo "$pids" | tr '\n' ' '))"
    for pid in $pids; do kill -TERM "$pid" 2>/dev/null || true; done
    while [[ $waited -lt $APP_STOP_SECONDS ]]; do
        pids="$(for pid in $pids; do kill -0 "$pid" 2>/dev/null && echo "$pid"; done || true)"
        [[ -z "$pids" ]] && return 0
        sleep 1
        waited=$((waited + 1))
    done
    return 1
}

# pre_upgrade_backup BINARY OLD NEW: back up the ledger with the version in use (BINARY) before anything
# changes, kept as <data>/backups/upgrades/pre-upgrade-<OLD>-to-<NEW>-<time>.sqlite3 (apart from the
# scheduled rotation; the newest 4 are kept). Sets PRE_UPGRADE ("" when there is no ledger yet). On failure
# returns 1 with the reason in BACKUP_FAILURE; nothing was changed then.
pre_upgrade_backup() {
    local bin="$1" old="$2" new="$3" taken upgrades ledger old_backup
    PRE_UPGRADE=""
    ledger="$(p "$DATA_DIR")/ledger.sqlite3"
    upgrades="$(p "$DATA_DIR")/backups/upgrades"
    if [[ ! -f "$ledger" ]]; then
        say "no ledger yet in $(p "$DATA_DIR"): nothing to back up"
        return 0
    fi
    if ! taken="$(as_counter "$bin" --json backup)"; then
        BACKUP_FAILURE="the backup with $old failed: nothing was changed (see 'pos-terminal doctor')"
        return 1
    fi
    taken="$(printf '%s\n' "$taken" | sed -n 's/.*"path": *"\([^"]*\)".*/\1/p' | tail -n 1)"
    if [[ $DRY_RUN -eq 1 ]]; then
        say "would: keep the backup as $upgrades/pre-upgrade-$old-to-$new-<time>.sqlite3"
        return 0
    fi
    if [[ "$taken" != "$(p "$DATA_DIR")/backups/"* || ! -f "$taken" ]]; then
        BACKUP_FAILURE="the backup with $old did not say where it wrote the copy: nothing was changed"
        return 1
    fi
    mkdir -p "$upgrades"
    chmod 0700 "$upgrades"
    sys_run chown "$COUNTER_USER:" "$DATA_DIR/backups/upgrades"
    PRE_UPGRADE="$upgrades/pre-upgrade-$old-to-$new-$(date -u +%Y%m%d-%H%M%S).sqlite3"
    mv -f "$taken" "$PRE_UPGRADE"
    say "pre-upgrade backup: $PRE_UPGRADE"
    # keep the newest 4 (the last upgrades), never the one just taken (the names are ours: ls is safe)
    # shellcheck disable=SC2012
    ls -1t "$upgrades"/pre-upgrade-*.sqlite3 2>/dev/null | tail -n +5 | while read -r old_backup; do
        [[ "$old_backup" == "$PRE_UPGRADE" ]] || rm -f "$old_backup"
    done
}

# rollback_ledger NEW: put the pre-upgrade backup (PRE_UPGRADE) back as the ledger by an atomic rename; the
# file the new version may have migrated, and its WAL, are kept beside it as replaced-by-rollback-*.
rollback_ledger() {
    local new="$1" dir ledger tmp kept suffix
    dir="$(p "$DATA_DIR")"
    ledger="$dir/ledger.sqlite3"
    tmp="$dir/ledger.sqlite3.rollback"
    kept="$dir/replaced-by-rollback-$new-$(date -u +%Y%m%d-%H%M%S).sqlite3"
    cp "$PRE_UPGRADE" "$tmp"
    chmod 0600 "$tmp"
    sys_run chown "$COUNTER_USER:" "$DATA_DIR/ledger.sqlite3.rollback"
    sync "$tmp"
    if [[ -f "$ledger" ]]; then ln -f "$ledger" "$kept"; fi
    for suffix in -wal -shm; do  # the new version's WAL must never be replayed into the restored file
        if [[ -e "$ledger$suffix" ]]; then mv -f "$ledger$suffix" "$kept$suffix"; fi
    done
    mv -fT "$tmp" "$ledger"
    sync "$dir"
    say "the ledger is the pre-upgrade backup again; the file $new left is kept as $kept"
}

# --------------------------------------------------------------------------------------------------------
# Files both install.sh and the .deb lay down (the .deb writes them at build time into its tree).
write_wrapper() {  # write_wrapper PATH: the pos-terminal command (the data folder, then the version in use)
    write_file "$1" 0755 <<WRAPPER
#!/bin/sh
# pos-terminal command: the terminal's data folder, then the version in use.
if [ -z "\${POS_DATA_DIR:-}" ] && [ -r $ETC_DIR/environment ]; then
    . $ETC_DIR/environment
    export POS_DATA_DIR
fi
exec $APP_ROOT/current/pos-terminal "\$@"
WRAPPER
}

write_units() {  # write_units DIR: the scheduled jobs and the sync service, run as the counter account
    local dir="$1"
    _unit() {  # _unit NAME DESCRIPTION COMMAND [type] [service-extra]
        write_file "$dir/$1.service" 0644 <<UNIT
[Unit]
Description=$2
After=network-online.target
Wants=network-online.target

[Service]
Type=${4:-oneshot}
User=$COUNTER_USER
EnvironmentFile=$ETC_DIR/environment
ExecStart=$APP_ROOT/current/pos-terminal $3
Nice=10
${5:-}
UNIT
    }
    _timer() {  # _timer NAME DESCRIPTION ONCALENDAR
        write_file "$dir/$1.timer" 0644 <<TIMER
[Unit]
Description=$2

[Timer]
OnCalendar=$3
Persistent=true
RandomizedDelaySec=5min

[Install]
WantedBy=timers.target
TIMER
    }
    _unit pos-terminal-backup "pos-terminal: back up the ledger when [backup] every_hours have passed" \
        "backup --if-due"
    _timer pos-terminal-backup "pos-terminal: hourly backup check" "hourly"
    _unit pos-terminal-expire "pos-terminal: expire points whose time has come" "expire"
    _timer pos-terminal-expire "pos-terminal: daily points expiry" "*-*-* 00:15:00"
    # the update channel: root installs a verified download (pos-terminal update apply checks the quiet time, that
    # no counter window is open, the signature with the key of /etc/pos-terminal/terminal.toml, then runs the
    # kit's upgrade.sh); stopping its timer during an upgrade never stops a running apply
    write_file "$dir/pos-terminal-update.service" 0644 <<UNIT
[Unit]
Description=pos-terminal: install a verified update in head office's quiet time

[Service]
Type=oneshot
User=root
EnvironmentFile=$ETC_DIR/environment
ExecStart=$APP_ROOT/current/pos-terminal update apply
UNIT
    _timer pos-terminal-update "pos-terminal: update check every 10 minutes" "*:0/10"
    _unit pos-terminal-sync "pos-terminal: sync with the loyalty server" "sync" simple \
"Restart=on-failure
RestartSec=30

[Install]
WantedBy=multi-user.target"
}

write_autostart() {  # write_autostart PATH COMMAND: the counter window opens when the account logs in ("counter"
    # runs it, and after an unattended update opens it again in the new version)
    write_file "$1" 0644 <<DESKTOP
[Desktop Entry]
Type=Application
Name=POS loyalty terminal
Name[th]=เครื่องสะสมแต้ม
Exec=$2 counter
Terminal=false
X-GNOME-Autostart-enabled=true
DESKTOP
}
