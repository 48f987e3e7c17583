# Shared by install.sh and upgrade.sh (sourced, not run).
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
