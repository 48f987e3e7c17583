"""The version the app reports (support bundle, enrollment, the ledger's "written by", the heartbeat): in a frozen
build the VERSION file the build bundled (pyproject.toml's at build time, never the build machine's possibly stale
package metadata); from source the installed package's version; else the fallback, pyproject.toml's version."""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest

from pos_app.core.version import FALLBACK_VERSION, app_version

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


@pytest.fixture(autouse=True)
def _fresh_version() -> Iterator[None]:
    app_version.cache_clear()
    yield
    app_version.cache_clear()


def _installed(versions: dict[str, str]) -> object:
    """A stand-in for importlib.metadata.version over the given distributions (the stdlib, not our code)."""
    def version(name: str) -> str:
        if name not in versions:
            raise metadata.PackageNotFoundError(name)
        return versions[name]
    return version


def test_the_installed_package_names_the_version(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(metadata, "version", _installed({"pos-loyalty-terminal": "7.3.1"}))
    assert app_version() == "7.3.1"


def test_a_frozen_build_without_metadata_reports_the_pyproject_version(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(metadata, "version", _installed({"some-other-package": "7.3.1"}))
    project_version = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["version"]
    assert app_version() == FALLBACK_VERSION == project_version


def test_the_version_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(metadata, "version", _installed({"pos-loyalty-terminal": "7.3.1"}))
    assert app_version() == "7.3.1"
    monkeypatch.setattr(metadata, "version", _installed({"pos-loyalty-terminal": "8.0.0"}))
    assert app_version() == "7.3.1"  # one process reports one version, whatever happens to the files


def test_a_frozen_build_says_the_version_it_was_built_with(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "VERSION").write_text("9.8.7\n")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert app_version() == "9.8.7"


def test_from_source_the_package_metadata_is_used(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "VERSION").write_text("9.8.7\n")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)  # not frozen: ignored
    monkeypatch.delattr(sys, "frozen", raising=False)
    assert app_version() == metadata.version("pos-loyalty-terminal")
