"""PINs in the counter window (pytest-qt, offscreen, real seeded ledger): wrong PINs slow down and lock the
sign-in, a manager names themselves to sign in and unlocks it in the manager area, resets a cashier's PIN, and
the cashier must choose their own PIN before reaching the counter."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from pos_app.config import PinsSection, TerminalConfig
from pos_app.core.i18n import _
from pos_app.ui.counter import CounterWindow
from tests.ui.ui_steps import TIMEOUT, show, sign_in


@pytest.fixture
def strict(qtbot: Any, data_dir: Path, thai_font_family: str) -> Iterator[CounterWindow]:
    """A window whose branch locks after 3 wrong PINs, with no waiting in between."""
    win = CounterWindow(data_dir, config=TerminalConfig(pins=PinsSection(base_delay_seconds=0, lock_after=3)))
    show(qtbot, win)
    yield win
    win.shutdown()


def type_pin(qtbot: Any, win: CounterWindow, pin: str) -> str:
    qtbot.keyClicks(win.pin, pin)
    with qtbot.waitSignal(win.error_shown, timeout=TIMEOUT) as refused:
        qtbot.keyClick(win.pin, Qt.Key.Key_Return)
    return str(refused.args[0])


def test_wrong_pins_make_the_next_attempt_wait(qtbot: Any, window: CounterWindow) -> None:
    for _n in range(3):
        assert type_pin(qtbot, window, "4321") == _("Unknown staff id or wrong PIN.")
    message = type_pin(qtbot, window, "1111")  # refused before the PIN is checked: no sleeping at the counter
    assert message.startswith(_("Too many wrong PINs: try again in {seconds} s.").split("{")[0])
    assert window.status.text() == message and window.status.property("kind") == "error"
    assert window.pages.currentWidget() is window.login_page
    assert window.sign_in_button.isEnabled()  # the window stays responsive while the delay runs


def test_locked_sign_in_a_named_manager_unlocks_it_in_the_manager_area(qtbot: Any, strict: CounterWindow) -> None:
    win = strict
    type_pin(qtbot, win, "4321")
    type_pin(qtbot, win, "4322")
    with qtbot.waitSignal(win.manager_sign_in_offered, timeout=TIMEOUT):
        message = type_pin(qtbot, win, "4323")
    assert message == _("Sign-in is locked on this terminal after too many wrong PINs: a manager chooses their "
                        "name, signs in and unlocks it (or pos-terminal staff unlock).")
    assert win.manager_choice.isVisible() and win.manager_choice.currentData() == "manager-1"
    sign_in(qtbot, win, "9999")  # the named manager signs in despite the lock
    assert win.manager_button.isVisible() and not win.manager_choice.isVisible()
    with qtbot.waitSignal(win.manager_area_shown, timeout=TIMEOUT) as shown:
        qtbot.mouseClick(win.manager_button, Qt.MouseButton.LeftButton)
    area = shown.args[0]
    assert area.locks.rowCount() == 1
    assert area.locks.item(0, 0).text() == _("this terminal (PIN only)")
    assert area.locks.item(0, 2).text() == _("LOCKED")
    events = [area.events.item(r, 1).text() for r in range(area.events.rowCount())]
    assert events.count(_("wrong PIN")) == 3 and _("locked") in events
    with qtbot.waitSignal(win.manager_area_shown, timeout=TIMEOUT) as again:
        qtbot.mouseClick(area.unlock, Qt.MouseButton.LeftButton)
    assert again.args[0].locks.rowCount() == 0 and area.message.text() == _("Unlocked.")
    area.accept()
    win.sign_out()
    sign_in(qtbot, win, "1111")  # PIN-only sign-in works again
    assert "สมใจ" in win.who.text()


def test_a_reset_pin_must_be_changed_at_the_next_sign_in(qtbot: Any, window: CounterWindow) -> None:
    sign_in(qtbot, window, "9999")
    with qtbot.waitSignal(window.manager_area_shown, timeout=TIMEOUT) as shown:
        qtbot.mouseClick(window.manager_button, Qt.MouseButton.LeftButton)
    area = shown.args[0]
    assert area.cashier.currentData() == "cashier-1"
    area.reset_pin.setText("1234")
    with qtbot.waitSignal(window.error_shown, timeout=TIMEOUT) as refused:
        qtbot.mouseClick(area.reset, Qt.MouseButton.LeftButton)
    assert refused.args[0] == _("A PIN cannot be a run of digits (such as 1234 or 9876): choose another.")
    area.reset_pin.setText("7391")
    with qtbot.waitSignal(window.manager_area_shown, timeout=TIMEOUT):
        qtbot.mouseClick(area.reset, Qt.MouseButton.LeftButton)
    assert "สมใจ" in area.message.text()
    area.accept()
    window.sign_out()

    qtbot.keyClicks(window.pin, "7391")
    with qtbot.waitSignal(window.change_pin_requested, timeout=TIMEOUT) as asked:
        qtbot.keyClick(window.pin, Qt.Key.Key_Return)
    dialog = asked.args[0]
    assert window.pages.currentWidget() is window.login_page  # not at the counter until the PIN is changed
    dialog.old_pin.setText("7391")
    dialog.new_pin.setText("6142")
    dialog.repeat_pin.setText("6143")
    qtbot.mouseClick(dialog.save, Qt.MouseButton.LeftButton)
    assert dialog.error.text() == _("The two new PINs differ: type the new PIN twice.")
    dialog.repeat_pin.setText("6142")
    with qtbot.waitSignal(window.signed_in, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.save, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.counter_page
    window.sign_out()
    assert type_pin(qtbot, window, "7391") == _("Unknown staff id or wrong PIN.")
    sign_in(qtbot, window, "6142")


def test_staff_change_their_own_pin_and_the_demo_hint_says_demo_only(qtbot: Any, data_dir: Path,
                                                                     thai_font_family: str) -> None:
    win = CounterWindow(data_dir, demo_hint=True)
    show(qtbot, win)
    try:
        assert win.demo_label.isVisible() and "1111" in win.demo_label.text()
        assert win.demo_label.text() == _("Demo only: cashier PIN 1111, manager PIN 9999. Never use these PINs "
                                          "on a real counter.")
        sign_in(qtbot, win, "1111")
        assert win.change_pin_button.isVisible() and not win.manager_button.isVisible()
        with qtbot.waitSignal(win.change_pin_requested, timeout=TIMEOUT) as asked:
            qtbot.mouseClick(win.change_pin_button, Qt.MouseButton.LeftButton)
        dialog = asked.args[0]
        dialog.old_pin.setText("2222")
        dialog.new_pin.setText("4829")
        dialog.repeat_pin.setText("4829")
        with qtbot.waitSignal(win.error_shown, timeout=TIMEOUT) as refused:
            qtbot.mouseClick(dialog.save, Qt.MouseButton.LeftButton)
        assert refused.args[0] == _("Unknown staff id or wrong PIN.") == dialog.error.text()
        dialog.old_pin.setText("1111")
        with qtbot.waitSignal(win.pin_changed, timeout=TIMEOUT):
            qtbot.mouseClick(dialog.save, Qt.MouseButton.LeftButton)
        assert win.status.text() == _("Your new PIN is saved.")
        win.sign_out()
        sign_in(qtbot, win, "4829")
    finally:
        win.shutdown()
