"""The window offers the branch's currencies next to the bill amount (pytest-qt, offscreen, real demo ledger)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from pos_app.core.i18n import _
from pos_app.services import open_terminal
from tests.ui.test_counter_window import TIMEOUT, award, earn_entries, find_member, sign_in, wait_idle


@pytest.fixture
def dollar_window(qtbot: Any, data_dir: Path, thai_font_family: str) -> Iterator[Any]:
    """The counter on a ledger whose active rules take US dollars and yen (a standalone counter: every branch)."""
    from pos_app.core.rules import Currencies, FxRate
    from pos_app.ui.counter import CounterWindow

    services = open_terminal(data_dir)
    try:
        jan = datetime(2026, 1, 1, tzinfo=UTC)
        rules = services.active_rules()
        services.install_rules(dataclasses.replace(rules, version=rules.version + 1, currencies=Currencies(
            (FxRate("USD", "35.8125", jan), FxRate("JPY", "0.2251", jan)))))
    finally:
        services.close()
    win = CounterWindow(data_dir)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.ready, timeout=TIMEOUT):
        win.show()
    yield win
    win.shutdown()


def test_the_picker_is_hidden_while_the_branch_takes_baht_only(qtbot: Any, window: Any) -> None:
    sign_in(qtbot, window)
    wait_idle(qtbot, window)
    assert window.currency_picker.isHidden()
    assert [window.currency_picker.itemData(i) for i in range(window.currency_picker.count())] == ["THB"]


def test_a_sale_in_dollars_from_the_window(qtbot: Any, dollar_window: Any, data_dir: Path) -> None:
    win = dollar_window
    sign_in(qtbot, win)
    wait_idle(qtbot, win)
    picker = win.currency_picker
    assert not picker.isHidden()
    assert [picker.itemData(i) for i in range(picker.count())] == ["THB", "JPY", "USD"]
    assert picker.currentData() == "THB"  # baht unless the cashier picks another
    member = find_member(qtbot, win)
    picker.setCurrentIndex(picker.findData("USD"))
    win.amount_field.setText("40.005")
    assert win.amount_error.text() == _("An amount in {code} has at most {n} decimal places.").format(code="USD", n=2)
    win.receipt_field.setText("R-USD-1")
    with qtbot.waitSignal(win.error_shown, timeout=TIMEOUT):
        qtbot.keyClick(win.receipt_field, Qt.Key.Key_Return)
    assert earn_entries(data_dir, member.id) == []  # nothing recorded
    award(qtbot, win, "40.00", "R-USD-1")
    entries = earn_entries(data_dir, member.id)
    assert [(e.currency, e.amount_minor, e.fx_rate, e.amount_satang, e.points) for e in entries] == \
        [("USD", 4000, "35.8125", 143_250, 57)]
    picker.setCurrentIndex(picker.findData("THB"))
    award(qtbot, win, "100.00", "R-THB-1")
    assert [(e.currency, e.amount_satang) for e in earn_entries(data_dir, member.id)][-1] == (None, 10_000)
