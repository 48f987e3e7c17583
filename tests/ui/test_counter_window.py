"""The counter window driven like a cashier would, on a real seeded SQLite ledger, offscreen.

Every service call runs on the window's worker thread; the tests wait on the window's signals (or on the
worker having nothing left to do), never sleep.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QFontInfo, QFontMetrics, QRawFont

from pos_app.core import i18n
from pos_app.core.i18n import _
from pos_app.services import open_terminal
from pos_app.services.errors import Unavailable
from pos_app.ui.counter import CounterWindow

SOMCHAI_PHONE = "081-234-5678"
SOMCHAI = "สมชาย ใจดี"
TIMEOUT = 20_000


@contextmanager
def ledger(data_dir: Path) -> Iterator[Any]:
    """A second, independent look at the same ledger file (as the CLI or IT would see it)."""
    services = open_terminal(data_dir)
    try:
        yield services
    finally:
        services.close()


def sign_in(qtbot: Any, win: CounterWindow, pin: str = "1111") -> None:
    qtbot.keyClicks(win.pin, pin)
    with qtbot.waitSignal(win.signed_in, timeout=TIMEOUT):
        qtbot.keyClick(win.pin, Qt.Key.Key_Return)


def find_member(qtbot: Any, win: CounterWindow, text: str = SOMCHAI_PHONE) -> Any:
    if text.isascii():
        qtbot.keyClicks(win.member_field, text)
    else:
        win.member_field.setText(text)  # QTest cannot synthesise keys for Thai letters
    with qtbot.waitSignal(win.member_shown, timeout=TIMEOUT) as shown:
        qtbot.keyClick(win.member_field, Qt.Key.Key_Return)
    return shown.args[0]


def award(qtbot: Any, win: CounterWindow, amount: str, receipt: str) -> Any:
    win.amount_field.setText(amount)
    win.receipt_field.setText(receipt)
    with qtbot.waitSignal(win.operation_done, timeout=TIMEOUT) as done:
        qtbot.keyClick(win.receipt_field, Qt.Key.Key_Return)
    return done.args[0]


def wait_idle(qtbot: Any, win: CounterWindow) -> None:
    qtbot.waitUntil(lambda: win.worker.idle, timeout=TIMEOUT)


def earn_entries(data_dir: Path, member_id: str) -> list[Any]:
    with ledger(data_dir) as services:
        return [e for e in services.history(member_id) if e.kind == "earn"]


def test_sign_in_by_pin_refuses_a_wrong_pin_then_opens_the_counter(qtbot: Any, window: CounterWindow) -> None:
    assert window.pages.currentWidget() is window.login_page
    qtbot.keyClicks(window.pin, "4321")
    with qtbot.waitSignal(window.error_shown, timeout=TIMEOUT) as refused:
        qtbot.keyClick(window.pin, Qt.Key.Key_Return)
    assert refused.args[0] == _("Unknown staff id or wrong PIN.")
    assert window.status.text() == refused.args[0]
    assert window.pages.currentWidget() is window.login_page

    sign_in(qtbot, window, "1111")
    assert window.pages.currentWidget() is window.counter_page
    assert "สมใจ ใจดี" in window.who.text()


def test_identify_by_phone_shows_name_tier_and_balance(qtbot: Any, window: CounterWindow) -> None:
    sign_in(qtbot, window)
    member = find_member(qtbot, window, "0812345678")
    assert member.name == SOMCHAI
    assert window.member_name.text() == SOMCHAI
    assert "สมาชิก" in window.member_tier.text()  # the tier's Thai name from the active rules
    assert window.member_balance.text() == _("{points} points").format(points="0")
    assert window.amount_field.hasFocus()  # keyboard first: next is the bill amount


def test_award_previews_points_then_shows_the_new_balance_after_commit(
        qtbot: Any, window: CounterWindow, data_dir: Path) -> None:
    sign_in(qtbot, window)
    member = find_member(qtbot, window)
    with qtbot.waitSignal(window.preview_shown, timeout=TIMEOUT) as preview:
        qtbot.keyClicks(window.amount_field, "1,234.50")
    assert preview.args[0] == 49  # every 25 baht = 1 point, remainder dropped
    assert "฿1,234.50" in window.preview.text()

    result = award(qtbot, window, "1,234.50", "R-0001")
    assert (result.points, result.balance_after) == (49, 49)
    assert window.member_balance.text() == _("{points} points").format(points="49")
    assert window.status.property("kind") == "done"
    assert "49" in window.status.text()
    assert window.amount_field.text() == "" and window.receipt_field.text() == ""
    with ledger(data_dir) as services:
        assert services.members.get(member.id).balance == 49


def test_a_sale_below_one_block_previews_why_it_earns_nothing_and_the_award_button_records_it(
        qtbot: Any, window: CounterWindow, data_dir: Path) -> None:
    sign_in(qtbot, window)
    member = find_member(qtbot, window)
    with qtbot.waitSignal(window.preview_shown, timeout=TIMEOUT) as preview:
        qtbot.keyClicks(window.amount_field, "24.99")
    assert preview.args[0] == 0
    assert window.preview.text() == _("{amount} earns 0 points: {why}").format(
        amount="฿24.99", why=_("points start at {amount}").format(amount="฿25"))
    assert window.award_button.isEnabled()

    result = award(qtbot, window, "24.99", "R-SMALL")
    assert (result.points, result.amount_satang, result.balance_after) == (0, 2499, 0)
    assert window.status.property("kind") == "done"
    assert _("0 points: {why}").format(why=_("points start at {amount}").format(amount="฿25")) \
        in window.status.text()
    earns = earn_entries(data_dir, member.id)
    assert [(e.points, e.amount_satang, e.receipt_ref) for e in earns] == [(0, 2499, "R-SMALL")]
    with ledger(data_dir) as services:  # the sale counts in the day's report (a visit and its spend)
        totals = services.daily_report().totals
        assert (totals.awards, totals.sales_satang, totals.points_awarded) == (1, 2499, 0)


def test_a_double_press_awards_once(qtbot: Any, window: CounterWindow, data_dir: Path) -> None:
    sign_in(qtbot, window)
    member = find_member(qtbot, window)
    window.amount_field.setText("500")
    window.receipt_field.setText("R-DOUBLE")
    with qtbot.waitSignal(window.operation_done, timeout=TIMEOUT):
        qtbot.mouseDClick(window.award_button, Qt.MouseButton.LeftButton)
        window.award_button.click()
        qtbot.keyClick(window.receipt_field, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    earns = earn_entries(data_dir, member.id)
    assert len(earns) == 1 and earns[0].points == 20
    assert window.member_balance.text() == _("{points} points").format(points="20")


def test_a_retry_after_an_error_reuses_the_operation_and_awards_once(
        qtbot: Any, window: CounterWindow, data_dir: Path) -> None:
    """The award commits but its answer is lost (as after a crash): pressing Award again changes nothing."""
    sign_in(qtbot, window)
    member = find_member(qtbot, window)
    services = window._services
    real_award = services.award

    def committed_but_unanswered(**kwargs: Any) -> Any:
        real_award(**kwargs)
        raise Unavailable("The answer was lost after the commit.")

    services.award = committed_but_unanswered
    window.amount_field.setText("250")
    window.receipt_field.setText("R-RETRY")
    with qtbot.waitSignal(window.error_shown, timeout=TIMEOUT) as failed:
        window.award_button.click()
    assert failed.args[0] == "The answer was lost after the commit."
    assert "Done" not in window.status.text()  # never "done" without the service's answer

    services.award = real_award
    with qtbot.waitSignal(window.operation_done, timeout=TIMEOUT) as done:
        window.award_button.click()
    assert done.args[0].replayed and done.args[0].points == 10
    assert len(earn_entries(data_dir, member.id)) == 1
    assert window.member_balance.text() == _("{points} points").format(points="10")


@pytest.mark.parametrize("typed", ["12.345", "abc", "-5", "0"])
def test_a_bad_amount_shows_an_inline_error_and_records_nothing(
        qtbot: Any, window: CounterWindow, data_dir: Path, typed: str) -> None:
    sign_in(qtbot, window)
    member = find_member(qtbot, window)
    qtbot.keyClicks(window.amount_field, typed)
    assert window.amount_error.text()  # shown while typing
    window.receipt_field.setText("R-BAD")
    with qtbot.waitSignal(window.error_shown, timeout=TIMEOUT) as refused:
        window.award_button.click()
    assert refused.args[0] == window.amount_error.text()
    assert "Traceback" not in refused.args[0]
    wait_idle(qtbot, window)
    assert earn_entries(data_dir, member.id) == []
    assert window.status.property("kind") != "done"


def test_unknown_member_and_forged_code_show_the_services_message(
        qtbot: Any, window: CounterWindow, data_dir: Path) -> None:
    sign_in(qtbot, window)
    qtbot.keyClicks(window.member_field, "0999999999")
    with qtbot.waitSignal(window.error_shown, timeout=TIMEOUT) as unknown:
        qtbot.keyClick(window.member_field, Qt.Key.Key_Return)
    assert unknown.args[0] == _("No member with phone {phone}.").format(phone="099-999-9999")
    assert window.status.text() == unknown.args[0]
    assert not window.award_button.isEnabled()

    with ledger(data_dir) as services:
        genuine = services.members.find_by_phone("0812345678").member_code
    forged = genuine[:-3] + ("AAA" if not genuine.endswith("AAA") else "BBB")
    window.member_field.setText(forged)
    with qtbot.waitSignal(window.error_shown, timeout=TIMEOUT) as refused:
        qtbot.keyClick(window.member_field, Qt.Key.Key_Return)
    assert refused.args[0] and "Traceback" not in refused.args[0]
    assert window.member_name.text() == _("No member yet")

    window.member_field.setText(genuine)  # the genuine QR, as a scanner would type it
    with qtbot.waitSignal(window.member_shown, timeout=TIMEOUT):
        qtbot.keyClick(window.member_field, Qt.Key.Key_Return)
    assert window.member_name.text() == SOMCHAI


def test_redeeming_over_the_threshold_asks_for_a_manager_pin(
        qtbot: Any, window: CounterWindow, data_dir: Path) -> None:
    sign_in(qtbot, window)
    member = find_member(qtbot, window)
    award(qtbot, window, "30,000", "R-BIG")  # 1,200 points

    # a reward under the threshold goes straight through
    window.reward_combo.setCurrentIndex(window.reward_combo.findData("COFFEE"))
    assert window.points_field.text() == "120" and not window.points_field.isEnabled()
    with qtbot.waitSignal(window.operation_done, timeout=TIMEOUT):
        window.redeem_button.click()
    assert window.member_balance.text() == _("{points} points").format(points="1,080")

    # 1,050 points as a discount is over the 1,000-point threshold: a manager must approve
    qtbot.keyClicks(window.points_field, "1050")
    with qtbot.waitSignal(window.approval_requested, timeout=TIMEOUT) as asked:
        qtbot.keyClick(window.points_field, Qt.Key.Key_Return)
    dialog = asked.args[0]
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.pin, "1111")  # the cashier's own PIN is not a manager's
    with qtbot.waitSignal(window.error_shown, timeout=TIMEOUT) as refused:
        qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)
    assert refused.args[0] == _("That is not a manager's PIN: nothing was changed.")

    with qtbot.waitSignal(window.approval_requested, timeout=TIMEOUT) as asked:
        window.redeem_button.click()
    qtbot.keyClicks(asked.args[0].pin, "9999")
    with qtbot.waitSignal(window.operation_done, timeout=TIMEOUT) as done:
        qtbot.keyClick(asked.args[0].pin, Qt.Key.Key_Return)
    result = done.args[0]
    assert result.points == 1050 and result.approved_by == "manager-1"
    assert window.member_balance.text() == _("{points} points").format(points="30")
    with ledger(data_dir) as services:
        redeems = [e for e in services.history(member.id) if e.kind == "redeem"]
    assert sorted(-e.points for e in redeems) == [120, 1050]


def test_escape_clears_the_member_and_the_bill(qtbot: Any, window: CounterWindow) -> None:
    sign_in(qtbot, window)
    find_member(qtbot, window)
    qtbot.keyClicks(window.amount_field, "100")
    qtbot.keyClick(window.amount_field, Qt.Key.Key_Escape)
    assert window.member_name.text() == _("No member yet")
    assert window.amount_field.text() == ""
    assert not window.award_button.isEnabled()
    assert window.member_field.hasFocus()


def test_the_language_toggle_switches_visible_text_between_thai_and_english(
        qtbot: Any, window: CounterWindow) -> None:
    thai_sign_in = i18n.load_catalog("th")["Sign in"]
    assert window.sign_in_button.text() == thai_sign_in
    with qtbot.waitSignal(window.language_changed):
        qtbot.mouseClick(window.lang_button, Qt.MouseButton.LeftButton)
    assert window.sign_in_button.text() == "Sign in"
    assert window.lang_button.text() == "ไทย"
    sign_in(qtbot, window)
    assert window.award_button.text() == "Award points\n[F2]"
    with qtbot.waitSignal(window.language_changed):
        qtbot.mouseClick(window.lang_button, Qt.MouseButton.LeftButton)
    assert window.award_button.text() == i18n.load_catalog("th")["Award points"] + "\n[F2]"
    assert window.redeem_box.title() == i18n.load_catalog("th")["Redeem points"]


def test_thai_renders_with_the_bundled_font(window: CounterWindow, thai_font_family: str) -> None:
    assert thai_font_family == "Garuda"
    font = window.member_name.font()
    assert QFontInfo(font).family() == "Garuda"  # resolved, not a fallback
    metrics = QFontMetrics(font)
    raw = QRawFont.fromFont(font, QFontDatabase.WritingSystem.Thai)
    assert raw.isValid() and raw.familyName() == "Garuda"  # Thai text is drawn from the bundled file
    for char in "สมชาย ใจดี กาแฟเย็น ๑๒๓ ฿":
        assert metrics.inFontUcs4(ord(char)), char
        assert raw.supportsCharacter(ord(char)), char
    glyphs = raw.glyphIndexesForString("สมชาย ใจดี")
    assert len(glyphs) == len("สมชาย ใจดี") and 0 not in glyphs  # no "missing glyph" boxes
    assert metrics.horizontalAdvance("สมชาย") > 0


def test_a_scanner_on_a_thai_keyboard_layout_is_read_back_and_the_cashier_told(
        qtbot: Any, window: CounterWindow) -> None:
    from hardware.wedge import ascii_to_thai

    sign_in(qtbot, window)
    typed = ascii_to_thai("0812345678")  # what a wedge scanner types with the Thai layout active
    assert typed != "0812345678"
    member = find_member(qtbot, window, typed)
    assert member.name == SOMCHAI
    assert window.status.text() == _(
        "The keyboard is set to Thai, so the scanner typed Thai letters; it was read anyway. "
        "Switch the keyboard to English (Grave or Alt+Shift) or set the scanner to serial mode.")


def test_enroll_a_new_member_then_a_duplicate_phone_is_refused(
        qtbot: Any, window: CounterWindow, data_dir: Path) -> None:
    sign_in(qtbot, window)
    qtbot.keyClicks(window.member_field, "0891112222")
    with qtbot.waitSignal(window.error_shown, timeout=TIMEOUT):
        qtbot.keyClick(window.member_field, Qt.Key.Key_Return)  # not a member yet
    window.member_field.setText("0891112222")
    with qtbot.waitSignal(window.enroll_requested, timeout=TIMEOUT) as opened:
        window.enroll_button.click()
    dialog = opened.args[0]
    assert dialog.phone.text() == "0891112222"  # carried over from the member field
    dialog.name.setText("มานี มีนา")  # QTest cannot synthesise keys for Thai letters
    with qtbot.waitSignal(window.member_shown, timeout=TIMEOUT) as shown:
        dialog.enroll.click()
    assert shown.args[0].name == "มานี มีนา" and shown.args[0].balance == 0
    assert window.member_name.text() == "มานี มีนา"
    assert window.enroll_dialog is None

    with qtbot.waitSignal(window.enroll_requested, timeout=TIMEOUT) as opened:
        window.enroll_button.click()
    dialog = opened.args[0]
    dialog.name.setText("Someone Else")
    dialog.phone.setText("089-111-2222")
    with qtbot.waitSignal(window.error_shown, timeout=TIMEOUT) as refused:
        dialog.enroll.click()
    assert "มานี มีนา" in refused.args[0]  # the existing member is named
    assert dialog.error.text() == refused.args[0] and dialog.isVisible()
    dialog.reject()
    with ledger(data_dir) as services:
        assert services.members.find_by_phone("0891112222").name == "มานี มีนา"


def test_a_manager_sees_todays_report_and_a_cashier_has_no_report_button(
        qtbot: Any, window: CounterWindow) -> None:
    sign_in(qtbot, window, "1111")
    assert not window.report_button.isVisible()
    window.sign_out()

    sign_in(qtbot, window, "9999")
    assert window.report_button.isVisible()
    find_member(qtbot, window)
    award(qtbot, window, "1,000", "R-REPORT")
    with qtbot.waitSignal(window.report_shown, timeout=TIMEOUT) as shown:
        window.report_button.click()
    table = shown.args[0].reports.table
    rows = {table.item(r, 0).text(): [table.item(r, c).text() for c in range(1, 6)] for r in range(table.rowCount())}
    assert rows["Manee Manager"] == ["1", "40", "฿1,000.00", "0", "0"]
    assert rows[_("Total")][:3] == ["1", "40", "฿1,000.00"]
    shown.args[0].accept()


def _type(widget: Any, text: str, start_ms: int, gap_ms: int) -> None:
    """Key events with explicit timestamps, as the window system delivers them (scanner: a few ms apart)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    stamp = start_ms
    for char in text:
        if char == "\r":
            key, typed = Qt.Key.Key_Return, "\r"
        else:
            key, typed = (Qt.Key(ord(char.upper())) if char.isascii() and char.isalnum() else Qt.Key.Key_unknown), char
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, typed)
            event.setTimestamp(stamp)
            QApplication.sendEvent(widget, event)
        stamp += gap_ms


def test_a_card_scanned_into_the_receipt_field_finds_the_member_and_awards_nothing(
        qtbot: Any, window: CounterWindow, data_dir: Path) -> None:
    sign_in(qtbot, window)
    first = find_member(qtbot, window, "0898765432")  # the previous customer is still on screen
    with ledger(data_dir) as services:
        somchai = services.members.find_by_phone("0812345678")
    window.amount_field.setText("500")
    window.receipt_field.setText("R-77")
    window.receipt_field.setFocus()
    with qtbot.waitSignal(window.member_shown, timeout=TIMEOUT) as shown:
        _type(window.receipt_field, somchai.member_code + "\r", start_ms=1_000_000, gap_ms=4)
    assert shown.args[0].id == somchai.id != first.id
    wait_idle(qtbot, window)
    assert earn_entries(data_dir, first.id) == [] and earn_entries(data_dir, somchai.id) == []
    assert somchai.member_code not in window.receipt_field.text()


@pytest.mark.parametrize("gap_ms", [140, 4], ids=["person-typing", "scanner-reading-a-receipt-barcode"])
def test_a_receipt_number_typed_or_scanned_into_the_receipt_field_is_used_as_the_receipt(
        qtbot: Any, window: CounterWindow, data_dir: Path, gap_ms: int) -> None:
    sign_in(qtbot, window)
    member = find_member(qtbot, window)
    window.amount_field.setText("500")
    window.receipt_field.setFocus()
    with qtbot.waitSignal(window.operation_done, timeout=TIMEOUT) as done:
        _type(window.receipt_field, "R-000123\r", start_ms=2_000_000, gap_ms=gap_ms)
    assert done.args[0].receipt_ref == "R-000123"
    assert len(earn_entries(data_dir, member.id)) == 1


def test_a_ledger_that_cannot_be_opened_is_explained_and_sign_in_stays_off(
        qtbot: Any, tmp_path: Path, thai_font_family: str) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    win = CounterWindow(blocker / "terminal")
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.error_shown, timeout=TIMEOUT) as refused:
        win.show()
    assert str(blocker / "terminal") in refused.args[0] and "Traceback" not in refused.args[0]
    assert win.status.text() == refused.args[0]
    assert not win.sign_in_button.isEnabled()
    win.shutdown()


def test_an_empty_ledger_is_explained_and_never_replaced_by_a_new_terminal(
        qtbot: Any, data_dir: Path, thai_font_family: str) -> None:
    i18n.set_language("en")
    for name in ("ledger.sqlite3-wal", "ledger.sqlite3-shm"):
        (data_dir / name).unlink(missing_ok=True)
    (data_dir / "ledger.sqlite3").write_bytes(b"")
    win = CounterWindow(data_dir)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.error_shown, timeout=TIMEOUT) as refused:
        win.show()
    assert "is empty (0 bytes)" in refused.args[0] and "pos-terminal init" in refused.args[0]
    assert not win.sign_in_button.isEnabled()
    assert (data_dir / "ledger.sqlite3").stat().st_size == 0
    win.shutdown()


def test_enrollment_asks_marketing_consent_apart_unticked_and_records_what_the_member_chose(
        qtbot: Any, window: CounterWindow, data_dir: Path) -> None:
    sign_in(qtbot, window)
    window.member_field.setText("0891113333")
    with qtbot.waitSignal(window.enroll_requested, timeout=TIMEOUT) as opened:
        window.enroll_button.click()
    dialog = opened.args[0]
    assert dialog.consent.isChecked() and not dialog.marketing.isChecked()  # never ticked for the member
    assert dialog.marketing.text() == _("The member agrees to receive marketing messages (optional)")
    dialog.name.setText("มาลี ยินยอม")
    dialog.marketing.setFocus()
    qtbot.keyClick(dialog.marketing, Qt.Key.Key_Space)  # the member says yes: the cashier ticks it
    assert dialog.marketing.isChecked()
    with qtbot.waitSignal(window.member_shown, timeout=TIMEOUT) as shown:
        dialog.enroll.click()
    consents = window._services.members.consents(shown.args[0].id)
    assert [(c["purpose"], c["granted"]) for c in consents] == [("loyalty", True), ("marketing", True)]
