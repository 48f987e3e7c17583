"""pytest-qt, offscreen, on a real temporary ledger with the demo data. Qt warnings fail the tests."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything loads Qt

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from pos_app.core import i18n  # noqa: E402
from pos_app.services import open_terminal  # noqa: E402
from pos_app.services.demo import seed_demo  # noqa: E402

_HERE = Path(__file__).parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every Qt warning (or worse) logged during a UI test fails it."""
    for item in items:
        if _HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One seeded ledger per session (PIN hashing is deliberately slow); each test gets a copy."""
    folder = tmp_path_factory.mktemp("demo-template")
    services = open_terminal(folder)
    try:
        seed_demo(services)
    finally:
        services.close()
    return folder


@pytest.fixture
def data_dir(demo_template: Path, tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "terminal"
    shutil.copytree(demo_template, target)
    return target


@pytest.fixture(autouse=True)
def english_first() -> Iterator[None]:
    """Tests start in Thai (the product default) and leave the language as they found it."""
    before = i18n.get_language()
    i18n.set_language("th")
    yield
    i18n.set_language(before)
