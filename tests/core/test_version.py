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


def _frozen(monkeypatch: pytest.MonkeyPatch, bundle: Path | None) -> None:
    monkeypatch.setattr(metadata, "version", _installed({"pos-loyalty-terminal": "7.3.1"}))
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    if bundle is None:
        monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    else:
        monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)


def test_a_frozen_build_reads_its_version_file_as_utf8_and_trims_it(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "VERSION").write_bytes("  2.0.0+สาขา\r\n".encode())
    _frozen(monkeypatch, tmp_path)
    assert app_version() == "2.0.0+สาขา"


def test_a_frozen_build_without_a_bundle_dir_uses_the_package_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    _frozen(monkeypatch, None)
    assert app_version() == "7.3.1"


@pytest.mark.parametrize("content", [None, "", "  \n"])
def test_a_missing_or_empty_version_file_falls_back_to_the_package_metadata(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str | None) -> None:
    if content is not None:
        (tmp_path / "VERSION").write_text(content, encoding="utf-8")
    _frozen(monkeypatch, tmp_path)
    assert app_version() == "7.3.1"  # never an empty version in the support bundle or the heartbeat


def test_an_unreadable_version_file_falls_back_to_the_package_metadata(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "VERSION").mkdir()  # a directory where the file should be: read_text raises an OSError
    _frozen(monkeypatch, tmp_path)
    assert app_version() == "7.3.1"


def test_a_build_marked_not_frozen_ignores_the_version_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "VERSION").write_text("9.8.7\n", encoding="utf-8")
    _frozen(monkeypatch, tmp_path)
    monkeypatch.setattr(sys, "frozen", False)
    assert app_version() == "7.3.1"
