"""The app's own version (recorded in the ledger so a newer schema can name the version that wrote it)."""

from __future__ import annotations

from functools import cache

FALLBACK_VERSION = "0.1.0"  # keep in step with pyproject.toml for frozen builds without package metadata


@cache
def app_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("pos-loyalty-terminal")
    except metadata.PackageNotFoundError:
        return FALLBACK_VERSION
