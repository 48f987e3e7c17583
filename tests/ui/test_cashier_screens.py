"""The cashier's screens on real widgets, in Thai and English, at 1024x768 and 1366x768: the primary button
says what it will do (also for a 0-point sale), reward tiles chosen by keyboard, the member panel's tier
progress, pending and expiring points, dialogs with their own frame and title, and the idle lock (an injected
clock, no sleeping). After every step nothing lies outside the window and nothing is cut off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fit import fit_problems
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from ui_steps import TIMEOUT, find_member, show, sign_in

from pos_app.config import SyncSection, TerminalConfig, TerminalSection
from pos_app.core import i18n
from pos_app.core.i18n import _
from pos_app.ui.counter import CounterWindow

SIZES = [(1024, 768), (1366, 768)]
PHONE = "081-234-5678"


def assert_fits(win: Any, size: tuple[int, int], step: str) -> None:
    QApplication.processEvents()
    assert (win.width(), win.height()) == size, f"{step}: the window grew to {win.width()}x{win.height()}"
    problems = fit_problems(win)
    assert problems == [], f"{step}:\n" + "\n".join(problems)


def open_window(qtbot: Any, data_dir: Path, size: tuple[int, int], **kw: Any) -> CounterWindow:
    config = TerminalConfig(sync=SyncSection(interval_seconds=3600), **kw)
    win = CounterWindow(data_dir, config=config)
    win.resize(*size)
    return show(qtbot, win)


def preview(qtbot: Any, win: CounterWindow, amount: str) -> int:
    with qtbot.waitSignal(win.preview_shown, timeout=TIMEOUT) as shown:
        win.amount_field.setText(amount)
    return int(shown.args[0])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("language", ["th", "en"])
def test_the_primary_buttons_say_what_they_will_do_and_tiles_redeem_by_keyboard(
        qtbot: Any, data_dir: Path, thai_font_family: str, language: str, size: tuple[int, int]) -> None:
    i18n.set_language(language)
    win = open_window(qtbot, data_dir, size)
    try:
        sign_in(qtbot, win)
        find_member(qtbot, win, PHONE)
        assert win.award_button.text() == _("Award points") + "\n[F2]"
        assert win.reward_tiles_box.isVisible()
        assert not any(tile.isEnabled() for tile in win.reward_tiles if tile.isVisible())  # 0 points: none
        assert_fits(win, size, "member shown, nothing affordable")

        assert preview(qtbot, win, "5,000") == 200
        assert win.award_button.text() == _("Award {points} points").format(points="200") + "\n[F2]"
        assert_fits(win, size, "the award button names the points")
        win.receipt_field.setText("R-TILE-1")
        with qtbot.waitSignal(win.history_shown, timeout=TIMEOUT):
            with qtbot.waitSignal(win.operation_done, timeout=TIMEOUT) as done:
                qtbot.keyClick(win.receipt_field, Qt.Key.Key_F2)
        assert done.args[0].points == 200
        assert win.award_button.text() == _("Award points") + "\n[F2]"  # the bill was cleared

        # the 0-point sale: the button says it records the sale, and it does
        assert preview(qtbot, win, "10") == 0
        assert win.award_button.text() == _("Record the sale (0 points)") + "\n[F2]"
        assert_fits(win, size, "a 0-point sale")
        win.receipt_field.setText("R-ZERO-1")
        with qtbot.waitSignal(win.history_shown, timeout=TIMEOUT):
            with qtbot.waitSignal(win.operation_done, timeout=TIMEOUT) as done:
                qtbot.keyClick(win.receipt_field, Qt.Key.Key_F2)
        assert (done.args[0].points, done.args[0].balance_after) == (0, 200)

        # 200 points: the coffee (120) can be had, the bag (300) and the voucher (800) cannot
        tiles = {tile.text().split("\n")[0]: tile for tile in win.reward_tiles if tile.isVisible()}
        coffee = "กาแฟเย็น 1 แก้ว" if language == "th" else "Iced coffee"
        bag = "ถุงผ้ารักษ์โลก" if language == "th" else "Reusable bag"
        assert tiles[coffee].isEnabled() and not tiles[bag].isEnabled()
        assert tiles[bag].text().split("\n")[1] == _("{points} points").format(points="300") + " · " + _(
            "{count} left").format(count="50")
        assert tiles[bag].minimumSizeHint().height() >= 48 and tiles[coffee].height() >= 48  # touch targets
        assert _("not enough points") in tiles[bag].toolTip()
        assert_fits(win, size, "tiles with what the member can afford")

        # keyboard: Tab from the award button reaches the first tile; Space chooses it
        win.award_button.setEnabled(True)
        win.award_button.setFocus()
        qtbot.keyClick(win.award_button, Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is tiles[coffee]
        with qtbot.waitSignal(win.reward_tile_chosen, timeout=TIMEOUT) as chosen:
            qtbot.keyClick(tiles[coffee], Qt.Key.Key_Space)
        assert chosen.args[0] == "COFFEE" and win.reward_combo.currentData() == "COFFEE"
        assert tiles[coffee].isChecked() and win.points_field.text() == "120"
        assert win.redeem_button.text() == _("Redeem {points} points").format(points="120") + "\n[F3]"
        assert_fits(win, size, "a tile chosen")
        with qtbot.waitSignal(win.operation_done, timeout=TIMEOUT) as done:
            qtbot.keyClick(tiles[coffee], Qt.Key.Key_F3)
        assert (done.args[0].reward_code, done.args[0].balance_after) == ("COFFEE", 80)
        qtbot.waitUntil(lambda: not tiles[coffee].isEnabled(), timeout=TIMEOUT)  # 80 points: no more coffee
        assert not tiles[coffee].isChecked() and win.reward_combo.currentData() is None
        assert_fits(win, size, "redeemed from a tile")
    finally:
        win.shutdown()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("language", ["th", "en"])
def test_the_member_panel_shows_tier_progress_pending_and_expiring_points(
        qtbot: Any, data_dir: Path, thai_font_family: str, language: str, size: tuple[int, int]) -> None:
    i18n.set_language(language)
    win = open_window(qtbot, data_dir, size)
    try:
        services = win._services  # set the scene on the real ledger before the member is shown
        member = services.identify(PHONE)
        now = datetime.now(UTC)
        services.award(member_id=member.id, amount_satang=100_000, receipt_ref="R-OLD", operator_id="cashier-1",
                       sale_at=now - timedelta(days=365 * 2 - 5))  # 40 points expiring within days
        with services.ledger.write() as conn:  # as on a counter enrolled with a server that has nothing yet
            services.ledger.set_meta(conn, "mode", "enrolled")
        services.award(member_id=member.id, amount_satang=50_000, receipt_ref="R-NEW", operator_id="cashier-1")
        sign_in(qtbot, win)
        with qtbot.waitSignal(win.history_shown, timeout=TIMEOUT):
            find_member(qtbot, win, PHONE)
        tier = "สมาชิก" if language == "th" else "Member"
        silver = "ซิลเวอร์" if language == "th" else "Silver"
        assert win.member_tier.text() == _("Tier: {tier}").format(tier=tier) + " · " + _(
            "{points} points to {tier}").format(points="980", tier=silver)  # the old sale is outside the tier period
        assert win.tier_progress.isVisible() and (win.tier_progress.value(), win.tier_progress.maximum()) == (
            20, 1_000)
        assert win.member_balance.text() == _("{points} points").format(points="60")
        assert win.member_pending.isVisible() and win.member_pending.text() == _(
            "{points} pending").format(points="+60")
        assert win.member_expiring.text().startswith(
            _("{points} points expire within 30 days, the first on {date}").format(points="40", date="")[:8])
        assert_fits(win, size, "member panel with tier, pending and expiring points")
    finally:
        win.shutdown()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("language", ["th", "en"])
def test_dialogs_have_their_own_frame_and_title_inside_the_window(
        qtbot: Any, data_dir: Path, thai_font_family: str, language: str, size: tuple[int, int]) -> None:
    i18n.set_language(language)
    win = open_window(qtbot, data_dir, size)
    try:
        sign_in(qtbot, win)
        with qtbot.waitSignal(win.enroll_requested, timeout=TIMEOUT) as opened:
            qtbot.keyClick(win.member_field, Qt.Key.Key_F4)
        dialog = opened.args[0]
        QApplication.processEvents()
        assert dialog.windowFlags() & Qt.WindowType.FramelessWindowHint  # no window manager to draw one
        assert dialog.title_bar.isVisible() and dialog.title_bar.text() == _("New member")
        assert dialog.layout().itemAt(0).widget() is dialog.title_bar  # on top
        assert win.geometry().contains(dialog.geometry()), (win.geometry(), dialog.geometry())
        assert fit_problems(dialog) == [], "\n".join(fit_problems(dialog))
        dialog.reject()
        assert win.enroll_dialog is None
    finally:
        win.shutdown()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("language", ["th", "en"])
def test_the_idle_lock_signs_the_cashier_out_after_the_configured_time(
        qtbot: Any, data_dir: Path, thai_font_family: str, language: str, size: tuple[int, int]) -> None:
    i18n.set_language(language)
    now = [10_000.0]
    config = TerminalConfig(sync=SyncSection(interval_seconds=3600), terminal=TerminalSection(idle_lock_seconds=60))
    win = CounterWindow(data_dir, config=config, clock=lambda: now[0])
    win.resize(*size)
    show(qtbot, win)
    try:
        sign_in(qtbot, win)
        find_member(qtbot, win, PHONE)
        assert win._idle_timer.isActive()  # armed for the deadline, not polling
        now[0] += 59
        assert win.check_idle() is False and win.pages.currentWidget() is win.counter_page
        qtbot.keyClicks(win.amount_field, "12")  # the cashier is here: the count starts again
        now[0] += 59
        assert win.check_idle() is False and win.amount_field.text() == "12"
        now[0] += 1
        with qtbot.waitSignal(win.idle_locked, timeout=TIMEOUT):
            assert win.check_idle() is True
        assert win.pages.currentWidget() is win.login_page and win.pin.hasFocus()
        assert win.session.staff is None and win.member_name.text() == _("No member yet")
        assert win.amount_field.text() == ""  # nothing of the last customer stays on screen
        assert win.status.text() == _("Signed out after {minutes} idle: type your PIN to go on.").format(
            minutes=_("{count} min").format(count=1))
        assert not win._idle_timer.isActive()
        assert_fits(win, size, "locked by the idle timer")
        sign_in(qtbot, win)  # the PIN screen works as ever
        assert win.pages.currentWidget() is win.counter_page
    finally:
        win.shutdown()


def test_the_idle_lock_waits_while_a_dialog_is_open_and_zero_turns_it_off(
        qtbot: Any, data_dir: Path, thai_font_family: str) -> None:
    now = [0.0]
    config = TerminalConfig(sync=SyncSection(interval_seconds=3600), terminal=TerminalSection(idle_lock_seconds=30))
    win = CounterWindow(data_dir, config=config, clock=lambda: now[0])
    win.resize(1024, 768)
    show(qtbot, win)
    try:
        sign_in(qtbot, win)
        with qtbot.waitSignal(win.enroll_requested, timeout=TIMEOUT) as opened:
            qtbot.keyClick(win.member_field, Qt.Key.Key_F4)
        now[0] += 31
        assert win.check_idle() is False  # a dialog is open: it is finished or cancelled first
        opened.args[0].reject()
        now[0] += 31
        assert win.check_idle() is True
    finally:
        win.shutdown()
    off = CounterWindow(data_dir, config=TerminalConfig(sync=SyncSection(interval_seconds=3600),
                                                        terminal=TerminalSection(idle_lock_seconds=0)),
                        clock=lambda: now[0])
    show(qtbot, off)
    try:
        sign_in(qtbot, off)
        now[0] += 10**6
        assert off.check_idle() is False and not off._idle_timer.isActive()
    finally:
        off.shutdown()
