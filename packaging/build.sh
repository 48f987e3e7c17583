#!/usr/bin/env bash
# Build the onedir package of pos-terminal into dist/pos-terminal/ (one build serves every branch).
#
#   packaging/build.sh            # from anywhere; uses (and creates if missing) the project's .venv
#
# Writes dist/pos-terminal/VERSION (the package version; install.sh installs to /opt/pos-terminal/<VERSION>)
# and dist/pos-terminal/BUILD_INFO (git commit, date), runs the built binary's --version as a check, and
# packs what IT copies to a terminal: dist/pos-terminal-<VERSION>-linux-<arch>.tar.gz =
#   pos-terminal-<VERSION>/{pos-terminal/, install.sh, upgrade.sh, lib.sh, smoke_test.sh,
#                           terminal.toml.example, installing-terminals.md}
# (NO_TARBALL=1 skips the archive; UPDATE_KEY_FILE=head-office.key.pub adds update-key.pub, pinned by install.sh.)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="${VENV:-$ROOT/.venv}"

if [[ ! -x "$VENV/bin/python" ]]; then
    python3 -m venv "$VENV"
fi
# shellcheck disable=SC1091
. "$VENV/bin/activate"
if ! python -c "import PyInstaller" 2>/dev/null; then
    pip install -e '.[packaging]'
fi

start=$(date +%s)
pyinstaller --noconfirm --clean --log-level WARN \
    --distpath "$ROOT/dist" --workpath "$ROOT/build/pyinstaller" \
    "$ROOT/packaging/pos-terminal.spec"
end=$(date +%s)

OUT="$ROOT/dist/pos-terminal"
VERSION="$(python -c 'from importlib.metadata import version; print(version("pos-loyalty-terminal"))')"
echo "$VERSION" > "$OUT/VERSION"
{
    echo "version=$VERSION"
    echo "commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "python=$(python -c 'import platform; print(platform.python_version())')"
} > "$OUT/BUILD_INFO"

"$OUT/pos-terminal" --version
echo "built $OUT in $((end - start)) s, size $(du -sh "$OUT" | cut -f1)"

if [[ "${NO_TARBALL:-0}" != 1 ]]; then
    KIT="pos-terminal-$VERSION"
    STAGE="$ROOT/build/kit"
    rm -rf "$STAGE" && mkdir -p "$STAGE/$KIT"
    cp -a "$OUT" "$STAGE/$KIT/pos-terminal"
    cp -a "$ROOT/packaging/install.sh" "$ROOT/packaging/upgrade.sh" "$ROOT/packaging/lib.sh" \
        "$ROOT/packaging/smoke_test.sh" "$ROOT/packaging/terminal.toml.example" "$STAGE/$KIT/"
    if [[ -f "$ROOT/docs/installing-terminals.md" ]]; then cp "$ROOT/docs/installing-terminals.md" "$STAGE/$KIT/"; fi
    # head office's update public key (UPDATE_KEY_FILE=...pub): install.sh pins it on every new terminal
    if [[ -n "${UPDATE_KEY_FILE:-}" ]]; then cp "$UPDATE_KEY_FILE" "$STAGE/$KIT/update-key.pub"; fi
    TARBALL="$ROOT/dist/$KIT-linux-$(uname -m).tar.gz"
    tar -C "$STAGE" -czf "$TARBALL" "$KIT"
    rm -rf "$STAGE"
    echo "kit for IT: $TARBALL ($(du -sh "$TARBALL" | cut -f1))"
fi
