"""The manager's staff page and the device page, driven through real widgets on a real ledger: add a cashier
by keyboard alone, disable and enable, reset a PIN (each confirmed by the manager's PIN and audited); the
sync state, doctor's checks, a backup, a test slip to a file printer, the camera test's live preview on a
fake camera behind the real pipeline, the scanner test; and both pages fit 1024x768 and 1366x768 in Thai and
English with nothing outside the window and nothing cut off."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cv2
import pytest
from fit import fit_problems, table_problems
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from ui_steps import TIMEOUT, show, sign_in

from hardware.wedge import ascii_to_thai
from pos_app.config import CameraSection, PrinterSection, SyncSection, TerminalConfig
from pos_app.core import i18n
from pos_app.core.i18n import _
from pos_app.services import open_terminal
from pos_app.ui.counter import CounterWindow
from tests.hardware.frames import held_card_frames

PHONE = "0812345678"


def manager_window(qtbot: Any, data_dir: Path, **config: Any) -> CounterWindow:
    win = show(qtbot, CounterWindow(data_dir, config=TerminalConfig(sync=SyncSection(interval_seconds=3600),
                                                                     **config)))
    sign_in(qtbot, win, "9999")
    return win


def open_staff(qtbot: Any, win: CounterWindow) -> Any:
    with qtbot.waitSignal(win.staff_page.shown, timeout=TIMEOUT):
        qtbot.mouseClick(win.staff_button, Qt.MouseButton.LeftButton)
    return win.staff_page


def open_device(qtbot: Any, win: CounterWindow) -> Any:
    with qtbot.waitSignal(win.device_page.shown, timeout=TIMEOUT):
        qtbot.mouseClick(win.device_button, Qt.MouseButton.LeftButton)
    return win.device_page


def table_texts(table: Any) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def ledger_audit(data_dir: Path) -> list[Any]:
    services = open_terminal(data_dir)
    try:
        return services.audit_log()
    finally:
        services.close()


def key(qtbot: Any, widget: Any, k: Any = Qt.Key.Key_Tab) -> None:
    qtbot.keyClick(widget, k)


# ---------------------------------------------------------------------------------------------- staff
def test_a_manager_adds_a_cashier_by_keyboard_alone_who_then_chooses_their_own_pin(
        qtbot: Any, data_dir: Path) -> None:
    win = manager_window(qtbot, data_dir)
    try:
        page = open_staff(qtbot, win)
        assert win.pages.currentWidget() is page
        assert [row[0] for row in table_texts(page.table)] == ["Manee Manager", "สมใจ ใจดี"]
        page.add_name.setFocus()
        page.add_name.setText("น้อย ใจงาม")  # typed (QTest types ASCII only)
        key(qtbot, page.add_name)            # -> role (only "cashier" for a manager)
        assert page.add_role.hasFocus() and page.add_role.count() == 1
        key(qtbot, page.add_role)            # -> first PIN
        qtbot.keyClicks(page.add_pin, "582046")
        key(qtbot, page.add_pin)             # -> Add
        key(qtbot, page.add_button)          # -> your PIN
        assert page.my_pin.hasFocus()
        qtbot.keyClicks(page.my_pin, "9999")
        qtbot.keyClick(page.my_pin, Qt.Key.Key_Backtab)  # back to Add
        assert page.add_button.hasFocus()
        with qtbot.waitSignal(page.changed, timeout=TIMEOUT) as added:
            key(qtbot, page.add_button, Qt.Key.Key_Space)
        new = added.args[0]
        assert page.message.text() == "เพิ่ม น้อย ใจงาม เป็นแคชเชียร์แล้ว: เขาตั้ง PIN ของตัวเองเมื่อเข้าระบบครั้งแรก"
        row = next(r for r in table_texts(page.table) if r[0] == "น้อย ใจงาม")
        assert row[2] == "ตั้ง PIN ใหม่เมื่อเข้าระบบ"
        assert page.my_pin.text() == "" and page.add_name.text() == ""
        events = [(a.event, a.staff_id, a.details.get("operation"), a.details.get("subject"))
                  for a in ledger_audit(data_dir)]
        assert ("approval", "manager-1", "add_staff", new.id) in events
        win.sign_out()
        qtbot.keyClicks(win.pin, "582046")
        with qtbot.waitSignal(win.change_pin_requested, timeout=TIMEOUT) as asked:  # must choose a new PIN
            qtbot.keyClick(win.pin, Qt.Key.Key_Return)
        asked.args[0].reject()
    finally:
        win.shutdown()


def test_a_wrong_manager_pin_or_a_weak_pin_is_refused_on_the_page_and_adds_nobody(
        qtbot: Any, data_dir: Path) -> None:
    i18n.set_language("en")
    win = manager_window(qtbot, data_dir)
    try:
        page = open_staff(qtbot, win)
        page.add_name.setText("Nok")
        page.add_pin.setText("582046")
        page.add_button.click()  # no confirming PIN: asked for, nothing sent
        assert page.message.text() == "Type your own PIN to confirm the change."
        assert page.my_pin.hasFocus()
        page.add_pin.setText("1234")
        page.my_pin.setText("9999")
        with qtbot.waitSignal(page.refused, timeout=TIMEOUT) as weak:
            page.add_button.click()
        assert weak.args[0] == "A PIN cannot be a run of digits (such as 1234 or 9876): choose another."
        page.add_pin.setText("582046")
        page.my_pin.setText("5555")
        with qtbot.waitSignal(page.refused, timeout=TIMEOUT) as wrong:
            page.add_button.click()
        assert wrong.args[0] == "That is not a manager's PIN: nothing was changed."
        assert page.message.text() == wrong.args[0]
        assert [row[0] for row in table_texts(page.table)] == ["Manee Manager", "สมใจ ใจดี"]
    finally:
        win.shutdown()


def test_disable_enable_and_reset_a_cashier_each_confirmed_and_audited(qtbot: Any, data_dir: Path) -> None:
    i18n.set_language("en")
    win = manager_window(qtbot, data_dir)
    try:
        page = open_staff(qtbot, win)
        page.table.selectRow(0)  # the manager themselves: nothing to do here, and the page says why
        assert not page.toggle_button.isEnabled() and not page.reset_button.isEnabled()
        assert page.why_not.text() == "This is you: change your own PIN with Change PIN."
        page.table.selectRow(1)
        assert page.selected_name.text() == "สมใจ ใจดี" and page.toggle_button.text() == "Disable"
        page.my_pin.setText("9999")
        with qtbot.waitSignal(page.changed, timeout=TIMEOUT):
            page.toggle_button.click()
        assert page.message.text() == "สมใจ ใจดี is disabled: they can no longer sign in."
        assert table_texts(page.table)[1][2] == "disabled" and page.toggle_button.text() == "Enable"
        assert not page.reset_button.isEnabled()
        page.my_pin.setText("9999")
        with qtbot.waitSignal(page.changed, timeout=TIMEOUT):
            page.toggle_button.click()
        assert table_texts(page.table)[1][2] == "active"
        page.reset_pin.setText("739104")
        page.my_pin.setText("9999")
        with qtbot.waitSignal(page.changed, timeout=TIMEOUT):
            qtbot.keyClick(page.reset_pin, Qt.Key.Key_Return)
        assert page.message.text() == "PIN of สมใจ ใจดี reset: they choose a new one at their next sign-in."
        audit = [(a.event, a.details.get("operation"), a.details.get("subject")) for a in ledger_audit(data_dir)]
        assert audit[:4] == [("pin_reset", None, None), ("approval", "reset_pin", None),  # newest first
                             ("approval", "enable_staff", "cashier-1"), ("approval", "disable_staff", "cashier-1")]
        qtbot.keyClick(page.table, Qt.Key.Key_Escape)  # Esc: back to the counter
        assert win.pages.currentWidget() is win.counter_page
    finally:
        win.shutdown()


def test_signing_out_from_a_page_forgets_the_member_for_the_next_cashier(qtbot: Any, data_dir: Path) -> None:
    from ui_steps import find_member

    win = manager_window(qtbot, data_dir)
    try:
        find_member(qtbot, win, PHONE)
        open_staff(qtbot, win)
        qtbot.mouseClick(win.sign_out_button, Qt.MouseButton.LeftButton)
        assert win.pages.currentWidget() is win.login_page
        sign_in(qtbot, win, "1111")
        assert win.pages.currentWidget() is win.counter_page and win._member is None
    finally:
        win.shutdown()


def test_a_cashier_has_neither_page(qtbot: Any, data_dir: Path) -> None:
    win = show(qtbot, CounterWindow(data_dir))
    try:
        sign_in(qtbot, win, "1111")
        assert not win.staff_button.isVisible() and not win.device_button.isVisible()
        win.show_back_office_page(win.staff_page)
        assert win.pages.currentWidget() is win.counter_page
    finally:
        win.shutdown()


# ---------------------------------------------------------------------------------------------- device
def test_the_device_page_shows_sync_state_doctor_and_backs_up(qtbot: Any, data_dir: Path) -> None:
    i18n.set_language("en")
    services = open_terminal(data_dir)
    with services.ledger.write() as conn:  # as enrollment and a sync round leave it
        for name, value in (("mode", "enrolled"), ("server_url", "https://loyalty.example:8443"),
                            ("last_sync_ok_ms", "1795000000000"), ("clock_offset_ms", "-420000")):
            services.ledger.set_meta(conn, name, value)
    services.close()
    win = manager_window(qtbot, data_dir)
    try:
        page = open_device(qtbot, win)
        lines = {page._sync_labels[i].text(): page._sync_labels[i + 1].text()
                 for i in range(0, len(page._sync_labels), 2) if page._sync_labels[i].isVisible()}
        assert lines["Server"] == "https://loyalty.example:8443"
        assert int(lines["Records waiting"].replace(",", "")) > 0  # the demo data was never sent
        assert lines["Clock skew"] == "420 s behind the server (too far: check the date and time)"
        doctor = [label.text() for label in page._doctor_labels if not label.isHidden()]  # (another tab)
        assert "Ledger file" in doctor and "SQLite integrity check passed" in doctor
        assert page.doctor_verdict.text() in ("All checks passed.", "Some checks failed: call IT.")
        with qtbot.waitSignal(page.backup_finished, timeout=TIMEOUT) as backed:
            page.backup_button.click()
            assert page.backup_progress.isVisibleTo(page) and not page.backup_button.isEnabled()
        info = backed.args[0]
        assert info.path.is_file() and info.path.parent == data_dir / "backups"
        assert page.backup_result.text().startswith(f"Backup written: {info.path}")
        assert not page.backup_progress.isVisibleTo(page) and page.backup_button.isEnabled()
    finally:
        win.shutdown()
    win = manager_window(qtbot, data_dir)  # the next time the page opens, it says when the newest one was made
    try:
        page = open_device(qtbot, win)
        assert page.backup_result.text().startswith("Last backup: ")
        assert f" kept in {data_dir / 'backups'}" in page.backup_result.text()
    finally:
        win.shutdown()


def test_a_test_slip_prints_to_the_file_printer_and_is_not_the_last_slip(
        qtbot: Any, data_dir: Path, tmp_path: Path) -> None:
    i18n.set_language("en")
    out = tmp_path / "printer.bin"
    win = manager_window(qtbot, data_dir, printer=PrinterSection(kind="file", address=str(out)))
    try:
        page = open_device(qtbot, win)
        page.tabs.setCurrentIndex(2)
        with qtbot.waitSignal(page.test_printed, timeout=TIMEOUT) as printed:
            qtbot.mouseClick(page.printer_button, Qt.MouseButton.LeftButton)
        assert printed.args[0].error_code is None
        sent = out.read_bytes()
        assert sent.startswith(b"\x1dv0") and sent.endswith(b"\x1dV\x00")  # ESC/POS: a raster image, then the cut
        assert len(sent) > 10_000
        assert page.printer_result.text().startswith("Test slip printed on ")
        assert not (data_dir / "last-slip.png").exists()  # Reprint still gives the last sale's slip
    finally:
        win.shutdown()


def test_the_scanner_test_reads_back_what_the_scanner_typed_even_on_a_thai_layout(
        qtbot: Any, data_dir: Path) -> None:
    i18n.set_language("en")
    win = manager_window(qtbot, data_dir)
    shown: list[Any] = []
    win.member_shown.connect(shown.append)
    try:
        page = open_device(qtbot, win)
        page.tabs.setCurrentIndex(2)
        page.scanner_field.setFocus()
        qtbot.keyClicks(page.scanner_field, PHONE)
        with qtbot.waitSignal(page.scanner_read, timeout=TIMEOUT):
            qtbot.keyClick(page.scanner_field, Qt.Key.Key_Return)
        assert page.scanner_result.text() == f"Read 10 characters: {PHONE} (a phone number)"
        page.scanner_field.setText(ascii_to_thai(PHONE))  # (QTest types ASCII only)
        with qtbot.waitSignal(page.scanner_read, timeout=TIMEOUT):
            qtbot.keyClick(page.scanner_field, Qt.Key.Key_Return)
        first, warning = page.scanner_result.text().split("\n")
        assert first == f"Read 10 characters: {PHONE} (a phone number)"
        assert warning.startswith("The keyboard is set to Thai, so the scanner typed Thai letters")
        assert shown == []  # a test scan identifies nobody
    finally:
        win.shutdown()


def test_the_camera_test_shows_the_live_preview_and_what_it_read(
        qtbot: Any, data_dir: Path, tmp_path: Path) -> None:
    i18n.set_language("en")
    services = open_terminal(data_dir)
    code = services.members.find_by_phone(PHONE).member_code
    services.close()
    folder = tmp_path / "frames"
    folder.mkdir()
    for i, frame in enumerate(held_card_frames(code, 14, size=(640, 480), hard=False)):
        cv2.imwrite(str(folder / f"frame-{i:03d}.png"), frame)
    win = manager_window(qtbot, data_dir, camera=CameraSection(source=str(folder), width=640, height=480, fps=30))
    shown: list[Any] = []
    win.member_shown.connect(shown.append)
    try:
        page = open_device(qtbot, win)
        page.tabs.setCurrentIndex(3)
        with qtbot.waitSignal(page.camera_panel.scanned, timeout=TIMEOUT):
            qtbot.mouseClick(page.camera_button, Qt.MouseButton.LeftButton)
        assert page.camera_panel.preview.pixmap() is not None and not page.camera_panel.preview.pixmap().isNull()
        assert page.camera_read.text().endswith("(a member card (QR))")
        assert page.camera_button.text() == "Stop the camera test"
        qtbot.keyClick(page.tabs, Qt.Key.Key_Escape)  # leaving the page lets go of the camera
        assert not page.camera_panel.running and win.pages.currentWidget() is win.counter_page
        assert shown == []
    finally:
        win.shutdown()


# ---------------------------------------------------------------------------------------------- fit
@pytest.mark.parametrize("size", [(1024, 768), (1366, 768)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("language", ["th", "en"])
def test_both_pages_fit_the_screen(qtbot: Any, data_dir: Path, thai_font_family: str, language: str,
                                   size: tuple[int, int]) -> None:
    i18n.set_language(language)
    win = CounterWindow(data_dir, config=TerminalConfig(sync=SyncSection(interval_seconds=3600)))
    win.resize(*size)
    show(qtbot, win)
    sign_in(qtbot, win, "9999")
    try:
        def fits(step: str) -> None:
            QApplication.processEvents()
            assert (win.width(), win.height()) == size, f"{step}: the window grew to {win.width()}x{win.height()}"
            problems = fit_problems(win) + table_problems(win.staff_page.table)
            assert problems == [], f"{step}:\n" + "\n".join(problems)

        page = open_staff(qtbot, win)
        page.table.selectRow(0)
        fits("staff page, the manager selected (why not shown)")
        page.table.selectRow(1)
        page.add_name.setText("Nok")
        page.add_pin.setText("582046")
        page.my_pin.setText("5555")
        with qtbot.waitSignal(page.refused, timeout=TIMEOUT):
            page.add_button.click()
        assert page.message.text() == _("That is not a manager's PIN: nothing was changed.")
        fits("staff page with a refusal")
        win.back_to_counter_page()
        device = open_device(qtbot, win)
        fits("device page, sync and backup")
        with qtbot.waitSignal(device.backup_finished, timeout=TIMEOUT):
            device.backup_button.click()
        fits("device page, backup written")
        for tab in (1, 2, 3):
            device.tabs.setCurrentIndex(tab)
            fits(f"device page, tab {tab}")
        for button in (device.backup_button, device.printer_button, device.camera_button, device.back_button):
            assert button.height() >= 48
        assert device.tabs.tabBar().height() >= 48
    finally:
        win.shutdown()
