#!/usr/bin/env bash
# Build the onedir package of pos-terminal into dist/pos-terminal/ (one build serves every branch).
#
#   packaging/build.sh            # from anywhere; uses (and creates if missing) the project's .venv
#
# The version has ONE source: `version` in pyproject.toml, read from the file at build time (never the
# installed package metadata, which an editable install leaves stale). The spec bundles it, so the built
# `pos-terminal --version` says the same; the build is refused if it does not.
#
# A build is identified by its SOURCE: the git commit, plus "-dirty-<hash of the uncommitted changes>" when
# the tree has any. dist/pos-terminal/BUILD_INFO records it (source=...). A build never replaces a different
# build under the same name: if dist/ already holds a kit or .deb of this version built from another source,
# the build is refused before anything runs (bump the version in pyproject.toml, or move the old file away).
# Rebuilding the same source under the same version is allowed (it replaces the files).
#
# Writes dist/pos-terminal/VERSION and dist/pos-terminal/BUILD_INFO, runs the built binary's --version as a
# check, and packs what IT copies to a terminal: dist/pos-terminal-<VERSION>-linux-<arch>.tar.gz =
#   pos-terminal-<VERSION>/{pos-terminal/, install.sh, upgrade.sh, lib.sh, smoke_test.sh,
#                           terminal.toml.example, installing-terminals.md}
# and, where dpkg-deb exists, dist/pos-terminal_<DEBIAN VERSION>_<arch>.deb (packaging/build-deb.sh).
# NO_TARBALL=1 skips the archive, NO_DEB=1 the .deb. DIST=DIR / WORK=DIR put the output / the PyInstaller
# work files elsewhere (default dist/ and build/ of the project). UPDATE_KEY_FILE=head-office.key.pub adds
# update-key.pub to the kit, pinned by install.sh (the update channel, docs/installing-terminals.md).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="${VENV:-$ROOT/.venv}"
DIST="${DIST:-$ROOT/dist}"
WORK="${WORK:-$ROOT/build}"

die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# --- the version and the source, before anything is built ------------------------------------------
PY="python3"
if [[ -x "$VENV/bin/python" ]]; then PY="$VENV/bin/python"; fi
VERSION="$("$PY" -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' \
    "$ROOT/pyproject.toml")" || die "cannot read the version from $ROOT/pyproject.toml"
[[ "$VERSION" =~ ^[0-9][0-9A-Za-z.+~-]*$ ]] || die "pyproject.toml: not a usable version: $VERSION"

source_id() {  # the commit, and a hash of whatever differs from it (tracked changes and new files)
    local commit changes
    commit="$(git -C "$ROOT" rev-parse HEAD 2>/dev/null)" || { echo unknown; return; }
    changes="$( { git -C "$ROOT" diff HEAD --binary; git -C "$ROOT" ls-files --others --exclude-standard -z \
        | xargs -0 -r sha256sum; } | sha256sum | cut -c1-12)"
    if [[ -z "$(git -C "$ROOT" status --porcelain --untracked-files=normal)" ]]; then
        echo "$commit"
    else
        echo "$commit-dirty-$changes"
    fi
}
SOURCE="$(source_id)"
ARCH_UNAME="$(uname -m)"
ARCH_DEB="$(dpkg --print-architecture 2>/dev/null || echo amd64)"
TARBALL="$DIST/pos-terminal-$VERSION-linux-$ARCH_UNAME.tar.gz"
# the .deb is named by the Debian form of the version (lib.sh deb_version, as build-deb.sh names it: 1.2.0rc1 ->
# 1.2.0~rc1); a version that is not a release (PEP 440) is refused here, before anything is built
DEB_VERSION="$(bash -c '. "$1/packaging/lib.sh" && deb_version "$2"' deb_version "$ROOT" "$VERSION")" || exit 1
DEB="$DIST/pos-terminal_${DEB_VERSION}_$ARCH_DEB.deb"

existing_source() {  # existing_source FILE -> the source= line of the BUILD_INFO inside a kit or a .deb
    case "$1" in
        *.tar.gz) tar -xOzf "$1" "pos-terminal-$VERSION/pos-terminal/BUILD_INFO" 2>/dev/null ;;
        *.deb) dpkg-deb --fsys-tarfile "$1" 2>/dev/null | tar -xO "./opt/pos-terminal/$VERSION/BUILD_INFO" 2>/dev/null ;;
    esac | sed -n 's/^source=//p'
}
for previous in "$TARBALL" "$DEB"; do
    [[ -f "$previous" ]] || continue
    was="$(existing_source "$previous")"
    if [[ "$was" != "$SOURCE" ]]; then
        die "$previous is version $VERSION built from ${was:-an unknown source}, this tree is $SOURCE: bump the version in pyproject.toml (or move the old file away)"
    fi
done

# --- build -------------------------------------------------------------------------------------------
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
    --distpath "$DIST" --workpath "$WORK/pyinstaller" \
    "$ROOT/packaging/pos-terminal.spec"
end=$(date +%s)

OUT="$DIST/pos-terminal"
echo "$VERSION" > "$OUT/VERSION"
{
    echo "version=$VERSION"
    echo "source=$SOURCE"
    echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "python=$(python -c 'import platform; print(platform.python_version())')"
} > "$OUT/BUILD_INFO"

said="$("$OUT/pos-terminal" --version)"
echo "$said"
[[ "$said" == "pos-terminal, version $VERSION" ]] || die "the built program says '$said', pyproject.toml says $VERSION"
echo "built $OUT in $((end - start)) s, size $(du -sh "$OUT" | cut -f1)"

if [[ "${NO_TARBALL:-0}" != 1 ]]; then
    KIT="pos-terminal-$VERSION"
    STAGE="$WORK/kit"
    rm -rf "$STAGE" && mkdir -p "$STAGE/$KIT"
    cp -a "$OUT" "$STAGE/$KIT/pos-terminal"
    cp -a "$ROOT/packaging/install.sh" "$ROOT/packaging/upgrade.sh" "$ROOT/packaging/lib.sh" \
        "$ROOT/packaging/smoke_test.sh" "$ROOT/packaging/terminal.toml.example" "$STAGE/$KIT/"
    if [[ -f "$ROOT/docs/installing-terminals.md" ]]; then cp "$ROOT/docs/installing-terminals.md" "$STAGE/$KIT/"; fi
    # head office's update public key (UPDATE_KEY_FILE=...pub): install.sh pins it on every new terminal
    if [[ -n "${UPDATE_KEY_FILE:-}" ]]; then cp "$UPDATE_KEY_FILE" "$STAGE/$KIT/update-key.pub"; fi
    tar -C "$STAGE" -czf "$TARBALL.partial" "$KIT"
    mv -f "$TARBALL.partial" "$TARBALL"
    rm -rf "$STAGE"
    echo "kit for IT: $TARBALL ($(du -sh "$TARBALL" | cut -f1))"
fi

if [[ "${NO_DEB:-0}" != 1 ]]; then
    if command -v dpkg-deb >/dev/null; then
        "$ROOT/packaging/build-deb.sh" --build "$OUT" --out "$DIST"
    else
        echo "skip .deb: dpkg-deb is not installed (apt-get install dpkg-dev, or NO_DEB=1)"
    fi
fi
