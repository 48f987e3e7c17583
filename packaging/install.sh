#!/usr/bin/env bash
# Install the packaged pos-terminal on a Debian/Ubuntu counter PC (first install of a terminal).
#
#   sudo ./install.sh [--build DIR] [--user NAME] [--data-dir DIR] [--update-key KEY] [--no-apt] [--force]
#   ./install.sh --prefix /tmp/stage ...      # stage the files only; system commands are printed
#   ./install.sh --dry-run ...                # print what would be done
#
# --build DIR   the onedir build (default: ./pos-terminal next to this script, else ../dist/pos-terminal)
# --user NAME   the account that runs the counter app and owns the ledger (default: pos; created if missing)
# --data-dir    where the ledger lives (default: /var/lib/pos-terminal)
# --force       reinstall files of a version already in /opt/pos-terminal/<version> that is not in use
# --update-key  pin head office's update signing key (base64, or a .pub file) in a NEW terminal.toml
#               (default: update-key.pub next to this script, if the kit has one); without a key the terminal
#               never installs updates from the server
#
# Steps: apt packages (libzbar0, Qt's xcb libraries, libusb), the counter account (groups video, dialout,
# lp), /opt/pos-terminal/<version> + current symlink, the /usr/local/bin/pos-terminal wrapper, the data
# folder, /etc/pos-terminal/terminal.toml from the template if absent, systemd timers (backup checked every hour,
# taken when [backup] every_hours have passed; expire daily), the sync service (enabled when the terminal is enrolled),
# the update timer (root, every 10 min: installs a verified update inside head office's quiet time),
# and an autostart entry that opens the counter window at login. Safe to run again.
# A terminal already running another version is refused: use upgrade.sh (it backs up first).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=packaging/lib.sh
. "$HERE/lib.sh"

BUILD=""
UPDATE_KEY=""
APT=1
FORCE=0
APT_PACKAGES=(libzbar0 libusb-1.0-0 libfribidi0 libgl1 libegl1 libglib2.0-0 libfontconfig1 libdbus-1-3
    libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
    libxcb-render-util0 libxcb-xinerama0 libxcb-shape0 libxcb-randr0 libxcb-xfixes0 libxcb-xkb1)

while [[ $# -gt 0 ]]; do
    case "$1" in
        --build) BUILD="$2"; shift 2 ;;
        --prefix) PREFIX="$(mkdir -p "$2" && cd "$2" && pwd)"; shift 2 ;;
        --dry-run) DRY_RUN=1; shift ;;
        --user) COUNTER_USER="$2"; shift 2 ;;
        --data-dir) DATA_DIR="$2"; shift 2 ;;
        --no-apt) APT=0; shift ;;
        --update-key) UPDATE_KEY="$2"; shift 2 ;;
        --force) FORCE=1; shift ;;
        -h|--help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
done
[[ "$DATA_DIR" == /* ]] || die "--data-dir must be an absolute path"
[[ "$COUNTER_USER" =~ ^[a-z_][a-z0-9_-]*$ ]] || die "--user: not a valid account name: $COUNTER_USER"

if [[ -z "$BUILD" ]]; then
    for candidate in "$HERE/pos-terminal" "$HERE/../dist/pos-terminal"; do
        if [[ -x "$candidate/pos-terminal" ]]; then BUILD="$(cd "$candidate" && pwd)"; break; fi
    done
fi
[[ -n "$BUILD" && -x "$BUILD/pos-terminal" ]] || die "no build found (give --build DIR; build it with packaging/build.sh)"
TEMPLATE="$HERE/terminal.toml.example"
[[ -f "$TEMPLATE" ]] || die "missing $TEMPLATE"
if [[ -z "$UPDATE_KEY" && -f "$HERE/update-key.pub" ]]; then UPDATE_KEY="$HERE/update-key.pub"; fi
if [[ -n "$UPDATE_KEY" && -f "$UPDATE_KEY" ]]; then UPDATE_KEY="$(tr -d '[:space:]' <"$UPDATE_KEY")"; fi
if [[ -n "$UPDATE_KEY" ]]; then
    [[ "$UPDATE_KEY" =~ ^[A-Za-z0-9+/]{43}=$ ]] || die "--update-key: not a base64 Ed25519 public key (from 'loyalty-server release keygen')"
fi
need_root

VERSION="$(build_version "$BUILD")"
TARGET="$(p "$APP_ROOT")/$VERSION"
INUSE="$(current_version)"
if [[ -n "$INUSE" && "$INUSE" != "$VERSION" ]]; then
    die "this terminal runs version $INUSE; to move to $VERSION use upgrade.sh (it backs up the ledger first)"
fi
say "installing pos-terminal $VERSION from $BUILD"

# 1. system packages
if [[ $APT -eq 1 ]]; then
    sys_run apt-get update -qq
    sys_run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${APT_PACKAGES[@]}"
fi

# 2. the counter account: camera (video), serial scanner/printer (dialout), USB printer (lp)
if [[ -n "$PREFIX" || $DRY_RUN -eq 1 ]] || ! id -u "$COUNTER_USER" >/dev/null 2>&1; then
    sys_run useradd --create-home --shell /bin/bash "$COUNTER_USER"
fi
sys_run usermod -a -G video,dialout,lp "$COUNTER_USER"
if [[ -n "$PREFIX" || $DRY_RUN -eq 1 ]]; then
    COUNTER_HOME="/home/$COUNTER_USER"
else
    COUNTER_HOME="$(getent passwd "$COUNTER_USER" | cut -d: -f6)"
fi

# 3. the program: /opt/pos-terminal/<version> (copied to a temporary name, then renamed: never half there)
if [[ -d "$TARGET" && $FORCE -eq 0 ]]; then
    say "version $VERSION is already in $TARGET (kept; --force to copy it again)"
else
    if [[ -d "$TARGET" && "$INUSE" == "$VERSION" ]]; then
        die "version $VERSION is the one in use; --force cannot replace it while in use"
    fi
    do_run mkdir -p "$(p "$APP_ROOT")"
    do_run rm -rf "$TARGET.partial" "$TARGET"
    do_run cp -a "$BUILD" "$TARGET.partial"
    do_run mv -T "$TARGET.partial" "$TARGET"
fi
switch_link "$VERSION" "$(p "$APP_ROOT")/current"

write_wrapper "$(p "$BIN_LINK")"

# 4. data folder and configuration (an existing terminal.toml is never touched)
do_run mkdir -p "$(p "$DATA_DIR")" "$(p "$ETC_DIR")"
do_run chmod 0700 "$(p "$DATA_DIR")"  # the ledger holds member names and phones
sys_run chown "$COUNTER_USER:" "$DATA_DIR"
if [[ -f "$(p "$ETC_DIR")/terminal.toml" ]]; then
    say "kept $(p "$ETC_DIR")/terminal.toml"
else
    sed "s|^public_key = \"\"|public_key = \"$UPDATE_KEY\"|" "$TEMPLATE" | write_file "$(p "$ETC_DIR")/terminal.toml" 0644
    say "wrote $(p "$ETC_DIR")/terminal.toml from the template: edit it for this branch"
    if [[ -n "$UPDATE_KEY" ]]; then say "update key pinned: $UPDATE_KEY"; fi
fi
write_file "$(p "$ETC_DIR")/environment" 0644 <<EOF
# pos-terminal: read by /usr/local/bin/pos-terminal and the pos-terminal systemd units
POS_DATA_DIR=$DATA_DIR
EOF

# 5. scheduled jobs and the sync service (system units running as the counter account)
write_units "$(p "$UNIT_DIR")"

# 6. the counter window opens when the counter account logs in to its desktop
write_autostart "$(p "$COUNTER_HOME")/.config/autostart/pos-terminal.desktop" "$BIN_LINK"
sys_run chown -R "$COUNTER_USER:" "$COUNTER_HOME/.config"

sys_run systemctl daemon-reload
sys_run systemctl enable --now pos-terminal-backup.timer pos-terminal-expire.timer pos-terminal-update.timer

# 7. sync only makes sense once enrolled (enroll later, then: systemctl enable --now pos-terminal-sync)
ENROLLED=0
if [[ -f "$(p "$DATA_DIR")/ledger.sqlite3" && $DRY_RUN -eq 0 ]]; then
    if as_counter "$TARGET/pos-terminal" --json doctor 2>/dev/null | grep -q '"mode": "enrolled"'; then
        ENROLLED=1
    fi
fi
if [[ $ENROLLED -eq 1 ]]; then
    sys_run systemctl enable --now pos-terminal-sync.service
    say "enrolled terminal: sync service enabled"
else
    say "not enrolled yet: after 'pos-terminal enroll --server URL --code CODE' (as $COUNTER_USER) run"
    say "  sudo systemctl enable --now pos-terminal-sync.service"
fi
say "installed pos-terminal $VERSION in $TARGET (current -> $VERSION)"
