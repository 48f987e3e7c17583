"""The app's version: in a frozen build, the VERSION file the build bundled (pyproject.toml's at build time),
never the build machine's package metadata, which can be stale."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_app.core import version


@pytest.fixture
def fresh() -> Iterator[None]:
    version.app_version.cache_clear()
    yield
    version.app_version.cache_clear()


def test_a_frozen_build_says_the_version_it_was_built_with(fresh: None, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "VERSION").write_text("9.8.7\n")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert version.app_version() == "9.8.7"


def test_from_source_the_package_metadata_is_used(fresh: None, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from importlib import metadata

    (tmp_path / "VERSION").write_text("9.8.7\n")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)  # not frozen: ignored
    monkeypatch.delattr(sys, "frozen", raising=False)
    assert version.app_version() == metadata.version("pos-loyalty-terminal")
