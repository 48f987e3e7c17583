"""The staff and device pages' presenters, without Qt: what each offers and says."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from pos_app.core import i18n
from pos_app.services.device import DeviceState
from pos_app.services.staff import StaffMember, StaffView
from pos_app.ui.presenters.device import DevicePresenter
from pos_app.ui.presenters.staff import StaffPresenter

MANAGER = StaffView("m1", "Manee", "manager")
ADMIN = StaffView("a1", "Anan", "admin")
MEMBERS = [StaffMember("m1", "Manee", "manager", True, False),
           StaffMember("c1", "Somjai", "cashier", True, False, must_change_pin=True, locked=True),
           StaffMember("c2", "Off", "cashier", False, False),
           StaffMember("h1", "HQ", "cashier", True, True)]


def presenter(manager: Any = MANAGER) -> StaffPresenter:
    i18n.set_language("en")
    state = StaffPresenter()
    state.load(manager, MEMBERS)
    return state


def test_what_a_manager_may_do_to_whom() -> None:
    state = presenter()
    assert state.selected_id == "m1" and not state.can_toggle and not state.can_reset
    assert state.why_not() == "This is you: change your own PIN with Change PIN."
    state.select("c1")
    assert state.can_toggle and state.can_reset and state.toggle_text() == "Disable" and state.why_not() == ""
    state.select("c2")
    assert state.can_toggle and not state.can_reset and state.toggle_text() == "Enable"
    state.select("h1")
    assert not state.can_toggle and state.why_not() == "HQ is managed by head office: change them there."
    assert state.add_roles() == [("cashier", "cashier")]
    admin = presenter(ADMIN)
    admin.select("m1")
    assert admin.can_toggle and not admin.can_reset  # an admin manages managers; PIN resets are cashiers'
    assert [role for role, _text in admin.add_roles()] == ["cashier", "manager"]


def test_rows_say_each_members_state_and_empty_forms_are_refused_before_the_services() -> None:
    state = presenter()
    assert [r.state for r in state.rows()] == ["active", "PIN locked, chooses a new PIN at sign-in", "disabled",
                                               "head office"]
    assert state.check_add(" ", "582046", "9999") == "Type the new staff member's name."
    assert state.check_add("Nok", "", "9999").startswith("Type their first PIN")
    assert state.check_add("Nok", "582046", "") == "Type your own PIN to confirm the change."
    assert state.check_add("Nok", "582046", "9999") == ""
    assert state.check_reset("", "9999") == "Type the temporary PIN."
    state.load(MANAGER, MEMBERS[1:])  # the selected one vanished: the first is selected
    assert state.selected_id == "c1"


def test_sync_lines_standalone_enrolled_and_skewed() -> None:
    i18n.set_language("en")
    device = DevicePresenter()
    assert device.sync_lines() == []
    device.state = DeviceState("t", "standalone", None, "", 0, None, None, None, "/d")
    assert [(line.label, line.value) for line in device.sync_lines()] == [
        ("Server", "none: this terminal works alone (standalone)")]
    device.state = DeviceState("t", "enrolled", "https://s", "B", 12, None, "offline: no route", 3_000, "/d",
                               clock_skew_limit_ms=300_000)
    lines = {line.label: line for line in device.sync_lines()}
    assert lines["Records waiting"].value == "12" and lines["Last success"].value == "never"
    assert lines["Last success"].kind == "error" and lines["Last error"].value == "offline: no route"
    assert (lines["Clock skew"].value, lines["Clock skew"].kind) == ("3 s ahead of the server", "ok")
    device.live = SimpleNamespace(queued=1_234, last_success_ms=None, clock_offset_ms=-400_000, online=False,
                                  last_error="timeout")
    lines = {line.label: line for line in device.sync_lines()}
    assert lines["Records waiting"].value == "1,234" and lines["Records waiting"].kind == "error"
    assert lines["Clock skew"].kind == "error" and lines["Clock skew"].value.startswith("400 s behind the server")


def test_doctor_scanner_and_backup_texts() -> None:
    i18n.set_language("en")
    device = DevicePresenter()
    device.doctor = {"ok": False, "checks": [{"check": "integrity", "ok": True, "detail": "fine"},
                                             {"check": "disk", "ok": False, "detail": "12 MB free"}]}
    assert [(line.label, line.kind) for line in device.doctor_lines()] == [("Ledger file", "ok"),
                                                                            ("Disk space", "error")]
    assert device.doctor_verdict() == "Some checks failed: call IT."
    device.scanned("hello world")
    assert device.scanner_result == "Read 11 characters: hello world (not a member code or phone number)"
    device.backup_started()
    assert device.backing_up
    device.backup_done(SimpleNamespace(path="/d/backups/x.sqlite3", size_bytes=2_500_000))
    assert not device.backing_up and device.backup_result == "Backup written: /d/backups/x.sqlite3 (2,441 KB)"


def test_the_backup_box_says_when_the_newest_backup_was_made_or_that_there_is_none() -> None:
    from datetime import datetime
    from pathlib import Path

    from pos_app.ledger.backup import BackupInfo

    i18n.set_language("en")
    device = DevicePresenter()
    device.state = DeviceState("t", "standalone", None, "", 0, None, None, None, "/d")
    assert device.backup_text() == 'No backup yet: press "Back up now".'
    made = datetime(2026, 11, 30, 9, 5).timestamp()
    device.state = DeviceState("t", "standalone", None, "", 0, None, None, None, "/d",
                               last_backup=BackupInfo(Path("/d/backups/b.sqlite3"), 3_000_000, made),
                               backups_kept=7)
    assert device.backup_text() == "Last backup: 30/11/2026 09:05 (2,929 KB); 7 kept in /d/backups"
    device.backup_done(SimpleNamespace(path="/d/backups/c.sqlite3", size_bytes=2_048))
    assert device.backup_text() == "Backup written: /d/backups/c.sqlite3 (2 KB)"  # what was just done, first
