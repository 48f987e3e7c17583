# Shared by the .deb's maintainer scripts, after lib.sh (build-deb.sh puts both into each script).
PACKAGE_BIN="/usr/bin/pos-terminal"
SHARE_DIR="/usr/share/pos-terminal"
UPGRADE_STATE="$APP_ROOT/.upgrade-state"  # preinst -> postinst: the old version, its backup, sync state
ACCOUNT_COMMENT="pos-terminal counter account (created by the pos-terminal package)"

load_site() {  # the data folder of this terminal: /etc/pos-terminal/environment when there (a tarball install)
    local configured=""
    if [[ -r "$ETC_DIR/environment" ]]; then
        configured="$(sed -n 's/^POS_DATA_DIR=//p' "$ETC_DIR/environment" | tail -n 1)"
    fi
    if [[ "$configured" == /* ]]; then DATA_DIR="$configured"; fi
}

enable_units() {  # enable (and start, when systemd runs) the given units
    command -v systemctl >/dev/null || return 0
    if systemd_running; then
        systemctl daemon-reload
        systemctl enable --now "$@"
    else
        systemctl enable "$@" 2>/dev/null || say "warning: could not enable $* (no systemd?)"
    fi
}

disable_units() {
    command -v systemctl >/dev/null || return 0
    systemctl disable "$@" 2>/dev/null || true
}
