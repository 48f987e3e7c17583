"""The app's own version (recorded in the ledger so a newer schema can name the version that wrote it).

One source: ``pyproject.toml``. A frozen build carries the version read from it at build time in
``<bundle>/_internal/VERSION`` (written by packaging/pos-terminal.spec), because the package metadata in
the build machine's environment can be stale (an editable install keeps the version it was installed
with). From source the installed metadata is used.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

FALLBACK_VERSION = "0.1.0"  # only if neither the frozen VERSION file nor package metadata exists


def _frozen_version() -> str | None:
    bundle = getattr(sys, "_MEIPASS", None)
    if not getattr(sys, "frozen", False) or bundle is None:
        return None
    try:
        text = (Path(bundle) / "VERSION").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return text or None


@cache
def app_version() -> str:
    frozen = _frozen_version()
    if frozen is not None:
        return frozen
    from importlib import metadata

    try:
        return metadata.version("pos-loyalty-terminal")
    except metadata.PackageNotFoundError:
        return FALLBACK_VERSION
