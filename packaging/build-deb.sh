#!/usr/bin/env bash
# Build the .deb of pos-terminal from the onedir build (the same folder the tarball kit carries).
#
#   packaging/build-deb.sh [--build DIR] [--out DIR]     # default: dist/pos-terminal -> dist/
#   (packaging/build.sh runs it after the build when dpkg-deb is installed)
#
# Output: <out>/pos-terminal_<DEBVERSION>_<arch>.deb, VERSION from the build's VERSION file (pyproject.toml's),
# DEBVERSION its Debian form (lib.sh deb_version: 1.2.0rc1 -> 1.2.0~rc1, so that apt orders pre-releases,
# post-releases and dev builds as PEP 440 does).
#   /opt/pos-terminal/<VERSION>/        the program ('current' -> it is set by postinst, as upgrade.sh does)
#   /usr/bin/pos-terminal               the command (data folder from /etc/pos-terminal/environment)
#   /lib/systemd/system/pos-terminal-{backup,expire}.{service,timer}, pos-terminal-sync.service
#   /usr/share/pos-terminal/            terminal.toml.example, smoke_test.sh, package-kind ("deb": the update
#                                       channel then fetches the channel's .deb and installs it with apt-get)
#   /usr/share/doc/pos-terminal/        installing-terminals.md
# The maintainer scripts are packaging/deb/{preinst,postinst,prerm,postrm}, each with packaging/lib.sh and
# packaging/deb/common.sh put in front (the same upgrade, backup and rollback code as upgrade.sh); they are
# checked with shellcheck when it is installed. Depends: packaging/deb/depends, checked against the
# libraries the build's ELF files need and do not bundle (the build is refused if one is not covered).
# A .deb of the same version from a different source (BUILD_INFO source=) is never overwritten.
# DEB_GZIP_LEVEL=1 packs faster (tests), at about 10% more size.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
# shellcheck source=packaging/lib.sh
. "$HERE/lib.sh"

BUILD="$ROOT/dist/pos-terminal"
OUT="$ROOT/dist"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --build) BUILD="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        -h|--help) sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
done
[[ -x "$BUILD/pos-terminal" ]] || die "no build in $BUILD (build it with packaging/build.sh)"
command -v dpkg-deb >/dev/null || die "dpkg-deb is not installed (apt-get install dpkg)"
VERSION="$(build_version "$BUILD")"
DEB_VERSION="$(deb_version "$VERSION")" || exit 1
ARCH="$(dpkg --print-architecture)"
DEB="$OUT/pos-terminal_${DEB_VERSION}_$ARCH.deb"
SOURCE="$(sed -n 's/^source=//p' "$BUILD/BUILD_INFO" 2>/dev/null || true)"
if [[ -f "$DEB" ]]; then
    was="$(dpkg-deb --fsys-tarfile "$DEB" | tar -xO "./opt/pos-terminal/$VERSION/BUILD_INFO" 2>/dev/null \
        | sed -n 's/^source=//p' || true)"
    if [[ -z "$SOURCE" || "$was" != "$SOURCE" ]]; then
        die "$DEB is version $VERSION built from ${was:-an unknown source}, this build is from ${SOURCE:-an unknown source}: bump the version in pyproject.toml (or move the old file away)"
    fi
fi

# --- Depends, checked against what the build needs from the system ---------------------------------
DEPENDS_FILE="$HERE/deb/depends"
declare -A provided=()
depends=()
while IFS='|' read -r package sonames; do
    package="${package%"${package##*[![:space:]]}"}"
    [[ -z "$package" || "$package" == \#* ]] && continue
    [[ "$package" != OPTIONAL ]] && depends+=("$package")
    for so in $sonames; do provided[$so]="$package"; done
done <"$DEPENDS_FILE"
bundled="$(find "$BUILD" -name '*.so*' -printf '%f\n' | sort -u)"
missing=()
while read -r so; do
    [[ -z "$so" ]] && continue
    grep -qxF "$so" <<<"$bundled" && continue
    [[ -n "${provided[$so]:-}" ]] || missing+=("$so")
done < <(find "$BUILD" -type f \( -name '*.so*' -o -name pos-terminal \) -exec readelf -d {} + 2>/dev/null \
    | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | sort -u)
if [[ ${#missing[@]} -gt 0 ]]; then
    die "the build needs ${missing[*]} from the system, in no package of $DEPENDS_FILE: add the package (dpkg -S <file>)"
fi

# --- the package tree ------------------------------------------------------------------------------
WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/pos-deb.XXXXXX")"
trap 'rm -rf "$WORK_DIR"' EXIT
TREE="$WORK_DIR/pos-terminal_${DEB_VERSION}_$ARCH"
mkdir -p "$TREE/DEBIAN" "$TREE/opt/pos-terminal" "$TREE/usr/bin" "$TREE/lib/systemd/system" \
    "$TREE/usr/share/pos-terminal" "$TREE/usr/share/doc/pos-terminal"
cp -a "$BUILD" "$TREE/opt/pos-terminal/$VERSION"
write_wrapper "$TREE/usr/bin/pos-terminal"
write_units "$TREE/lib/systemd/system"
install -m 0644 "$HERE/terminal.toml.example" "$TREE/usr/share/pos-terminal/terminal.toml.example"
install -m 0755 "$HERE/smoke_test.sh" "$TREE/usr/share/pos-terminal/smoke_test.sh"
# how this program was installed: the update channel asks for (and apt-installs) .debs when it says deb
printf 'deb\n' >"$TREE/usr/share/pos-terminal/package-kind"
if [[ -f "$ROOT/docs/installing-terminals.md" ]]; then
    install -m 0644 "$ROOT/docs/installing-terminals.md" "$TREE/usr/share/doc/pos-terminal/installing-terminals.md"
fi
# modes: nothing writable by group or others, directories 0755; dpkg-deb --root-owner-group makes root own all
chmod -R u+rwX,go-w,go+rX "$TREE"
find "$TREE" -type d -exec chmod 0755 {} +

for script in preinst postinst prerm postrm; do
    {
        echo "#!/bin/bash"
        echo "# $script of pos-terminal $VERSION: generated by packaging/build-deb.sh from packaging/deb/$script,"
        echo "# with packaging/lib.sh and packaging/deb/common.sh in front."
        echo "set -euo pipefail"
        echo "NEW_VERSION=\"$VERSION\""
        echo "# ---- packaging/lib.sh"
        grep -v '^# shellcheck shell=' "$HERE/lib.sh"
        echo "# ---- packaging/deb/common.sh"
        cat "$HERE/deb/common.sh"
        echo "# ---- packaging/deb/$script"
        cat "$HERE/deb/$script"
    } >"$TREE/DEBIAN/$script"
    chmod 0755 "$TREE/DEBIAN/$script"
done
# SC2034/SC2317: lib.sh is a library; each script uses some of its variables and functions
if command -v shellcheck >/dev/null; then
    shellcheck --shell=bash --exclude=SC2034,SC2317 "$TREE"/DEBIAN/{preinst,postinst,prerm,postrm} \
        || die "the maintainer scripts do not pass shellcheck (see above)"
else
    say "note: shellcheck is not installed; maintainer scripts not checked (apt-get install shellcheck)"
fi

(cd "$TREE" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | xargs -0 md5sum) >"$TREE/DEBIAN/md5sums"
chmod 0644 "$TREE/DEBIAN/md5sums"
dep_line="$(printf '%s, ' "${depends[@]}")"
cat >"$TREE/DEBIAN/control" <<CONTROL
Package: pos-terminal
Version: $DEB_VERSION
Architecture: $ARCH
Maintainer: POS loyalty terminal maintainers <pos-terminal@localhost>
Installed-Size: $(du -sk --exclude=DEBIAN "$TREE" | cut -f1)
Depends: ${dep_line%, }
Section: misc
Priority: optional
Description: offline-capable point-of-sale loyalty terminal
 The counter app and its command (pos-terminal), the sync, backup and points expiry
 jobs (systemd), the counter account (pos) and its data folder /var/lib/pos-terminal.
 Upgrading backs the ledger up with the version in use and rolls back if the new
 version's doctor fails. Purge keeps the ledger unless POS_PURGE_DATA=yes.
CONTROL

mkdir -p "$OUT"
dpkg-deb --root-owner-group -Zgzip "-z${DEB_GZIP_LEVEL:-6}" --build "$TREE" "$DEB.partial" >/dev/null
mv -f "$DEB.partial" "$DEB"
say "package: $DEB ($(du -sh "$DEB" | cut -f1))"
