#!/usr/bin/env bash
# Build the onedir package of pos-terminal into dist/pos-terminal/ (one build serves every branch).
#
#   packaging/build.sh            # from anywhere; uses (and creates if missing) the project's .venv
#
# Writes dist/pos-terminal/VERSION (the package version; install.sh installs to /opt/pos-terminal/<VERSION>)
# and dist/pos-terminal/BUILD_INFO (git commit, date). Then runs the built binary's --version as a check.
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
