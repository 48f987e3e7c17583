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
    """Every Qt warning (or worse) logged during a UI test fails it.

    The one exception is the offscreen platform plugin saying it has no window manager to pass size hints
    to: it is about the test platform itself, not about our code, and it does not happen on a real screen.
    """
    for item in items:
        if _HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            item.add_marker(pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$"))


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
def collect_on_the_ui_thread() -> Iterator[None]:
    """As in the app (pos_app.ui.gcguard): no automatic collection, which could destroy a previous test's
    widgets on a worker thread and crash; collect here, on the UI thread, after each test instead."""
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    yield
    gc.collect()
    if was_enabled:
        gc.enable()


@pytest.fixture(autouse=True)
def thai_by_default() -> Iterator[None]:
    """Tests start in Thai (the product default) and leave the language as they found it."""
    before = i18n.get_language()
    i18n.set_language("th")
    yield
    i18n.set_language(before)


@pytest.fixture(scope="session")
def thai_font_family(qapp: object) -> str:
    from pos_app.ui.fonts import load_thai_font

    return load_thai_font(qapp)  # type: ignore[arg-type]


@pytest.fixture
def window(qtbot: object, data_dir: Path, thai_font_family: str) -> Iterator[object]:
    """The counter window on a copy of the seeded demo ledger, its ledger open (worker ready)."""
    from pos_app.ui.counter import CounterWindow

    win = CounterWindow(data_dir)
    qtbot.addWidget(win)  # type: ignore[attr-defined]
    with qtbot.waitSignal(win.ready, timeout=20_000):  # type: ignore[attr-defined]
        win.show()
    yield win
    win.shutdown()
