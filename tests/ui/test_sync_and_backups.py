"""The counter window on an enrolled terminal: the real sync worker against the real server app (in process,
behind the httpx transport seam), the status bar, online-first redemption, the offline allowance, backups.

Waits are on the window's signals, never on sleeps.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from ui_steps import find_member, show, sign_in

from pos_app.config import BackupSection, SyncSection, TerminalConfig
from pos_app.core.i18n import _
from pos_app.ledger.backup import list_backups
from pos_app.ledger.sync_store import LedgerSyncStore
from pos_app.services import open_terminal, sync_glue
from pos_app.services.errors import ServiceError
from pos_app.ui.counter import CounterWindow
from sync.client import SyncClient, enroll
from tests.sync.client.harness import SERVER_URL, InProcessServer, make_server_template

TIMEOUT = 20_000
PHONE = "0865550000"
# once an hour: the window syncs at start and when a sale triggers it, so each test decides when it syncs
CONFIG = TerminalConfig(sync=SyncSection(interval_seconds=3600), backup=BackupSection(every_hours=4))


@dataclass
class Pair:
    server: InProcessServer
    data_dir: Path
    member_id: str


@pytest.fixture(scope="session")
def enrolled_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """A demo server and a terminal enrolled with it that has one member holding 800 points, all synced."""
    root = tmp_path_factory.mktemp("enrolled-template")
    server = InProcessServer(make_server_template(root / "server"))
    data_dir = root / "terminal"
    services = open_terminal(data_dir)
    try:
        store = LedgerSyncStore(services.ledger)
        enroll(store, SERVER_URL, server.enrollment_code(), transport=server.transport())
        # offline, a member may redeem 400 points per terminal (under the 500 per redemption)
        server.set_policy(max_points_per_member_per_terminal=400)
        client = SyncClient(store, transport=server.transport())
        client.sync_once()  # staff, rewards, policy
        member = services.members.enroll(name="Mana Sync", phone=PHONE, operator_id="cashier1")
        services.award(member_id=member.id, amount_satang=2_000_000, receipt_ref="R-SEED", operator_id="cashier1")
        client.sync_once()
        client.close()
    finally:
        services.close()
        server.stop()
    return root / "server", data_dir, member.id


@pytest.fixture
def pair(enrolled_template: tuple[Path, Path, str], tmp_path: Path) -> Iterator[Pair]:
    server_dir, terminal_dir, member_id = enrolled_template
    shutil.copytree(server_dir, tmp_path / "server")
    shutil.copytree(terminal_dir, tmp_path / "terminal")
    server = InProcessServer(tmp_path / "server" / "server.sqlite3")
    yield Pair(server, tmp_path / "terminal", member_id)
    server.stop()


def open_window(qtbot: Any, data_dir: Path, server: InProcessServer | None = None,
                config: TerminalConfig = CONFIG) -> CounterWindow:
    kwargs = {"transport": server.transport()} if server is not None else {}
    return show(qtbot, CounterWindow(data_dir, config=config, sync_client_kwargs=kwargs))


def wait_synced(qtbot: Any, win: CounterWindow, online: bool = True) -> Any:
    """The next finished sync round with the given outcome."""
    with qtbot.waitSignal(win.sync_status_shown, timeout=TIMEOUT,
                          check_params_cb=lambda s: s.online == online) as got:
        pass
    return got.args[0]


def sign_in_and_find(qtbot: Any, win: CounterWindow) -> Any:
    sign_in(qtbot, win)
    return find_member(qtbot, win, PHONE)


def redeem_points(qtbot: Any, win: CounterWindow, points: int) -> Any:
    win.points_field.setText(str(points))
    with qtbot.waitSignal(win.operation_done, timeout=TIMEOUT) as done:
        win.redeem_button.click()
    return done.args[0]


def test_an_enrolled_window_syncs_at_start_and_shows_online_and_nothing_waiting(qtbot: Any, pair: Pair) -> None:
    win = open_window(qtbot, pair.data_dir, pair.server)
    try:
        status = wait_synced(qtbot, win)
        assert status.queued == 0
        text = win.sync_label.text()
        assert text.startswith(_("Online")) and _("all records sent") in text
        assert _("last sync {time}").split("{")[0].strip() in text
    finally:
        win.shutdown()
    assert win.sync_worker is None  # stopped on close


def test_an_award_is_sent_to_the_server_right_away(qtbot: Any, pair: Pair) -> None:
    win = open_window(qtbot, pair.data_dir, pair.server)
    try:
        wait_synced(qtbot, win)
        member = sign_in_and_find(qtbot, win)
        assert member.balance == 800
        win.amount_field.setText("250")
        win.receipt_field.setText("R-UI-1")
        with qtbot.waitSignal(win.operation_done, timeout=TIMEOUT):
            qtbot.keyClick(win.receipt_field, Qt.Key.Key_Return)
        # the hour-long interval did not wait: the award reaches the server well within the test's deadline (a
        # status "online, nothing queued" from a sync that began before the award proves nothing, so the server
        # itself is asked)
        qtbot.waitUntil(lambda: pair.server.balances()[pair.member_id] == 810, timeout=TIMEOUT)
        with qtbot.waitSignal(win.sync_status_shown, timeout=TIMEOUT,
                              check_params_cb=lambda s: s.online and s.queued == 0):
            pass
    finally:
        win.shutdown()


def test_online_redemption_reserves_on_the_server(qtbot: Any, pair: Pair) -> None:
    win = open_window(qtbot, pair.data_dir, pair.server)
    try:
        wait_synced(qtbot, win)
        sign_in_and_find(qtbot, win)
        reserves_before = sum(1 for _m, path, _b in pair.server.log if "reserv" in path)
        result = redeem_points(qtbot, win, 300)
        assert result.balance_after == 500
        assert sum(1 for _m, path, _b in pair.server.log if "reserv" in path) > reserves_before
        # a status "online, nothing queued" from a sync round that began before the redemption proves nothing
        # (the round can take longer, e.g. when it also asks /v1/status): ask the server itself
        qtbot.waitUntil(lambda: pair.server.balances()[pair.member_id] == 500, timeout=TIMEOUT)
        assert win.offline_label.text() == ""  # online: no offline allowance shown
    finally:
        win.shutdown()


def test_offline_the_window_says_so_and_redeems_within_the_allowance(qtbot: Any, pair: Pair) -> None:
    def unreachable(request: httpx.Request) -> str:
        return "drop_request"

    pair.server.fault = unreachable
    win = open_window(qtbot, pair.data_dir, pair.server)
    try:
        status = wait_synced(qtbot, win, online=False)
        assert status.error_code == "unreachable"
        text = win.sync_label.text()
        assert text.startswith(_("Offline")) and sync_glue.describe("unreachable") in text
        with qtbot.waitSignal(win.offline_remaining_shown, timeout=TIMEOUT) as shown:
            sign_in_and_find(qtbot, win)
        before = shown.args[0]
        assert before == 400
        assert f"{before:,}" in win.offline_label.text()

        with qtbot.waitSignal(win.offline_remaining_shown, timeout=TIMEOUT) as after:
            result = redeem_points(qtbot, win, 200)
        assert result.balance_after == 600  # honoured offline
        assert after.args[0] == before - 200
        assert f"{before - 200:,}" in win.offline_label.text()

        # over what is left offline: refused with the allowance's message, nothing recorded
        win.points_field.setText(str(before - 200 + 1))
        with qtbot.waitSignal(win.error_shown, timeout=TIMEOUT):
            win.redeem_button.click()
        assert win.member_balance.text() == _("{points} points").format(points="600")

        # the server is back: the next sale's trigger sends everything, the window says online again
        pair.server.fault = None
        win.amount_field.setText("25")
        win.receipt_field.setText("R-BACK")
        with qtbot.waitSignal(win.sync_status_shown, timeout=TIMEOUT,
                              check_params_cb=lambda s: s.online and s.queued == 0):
            with qtbot.waitSignal(win.operation_done, timeout=TIMEOUT):
                win.award_button.click()
        assert pair.server.balances()[pair.member_id] == 601
        assert win.sync_label.text().startswith(_("Online"))
        assert win.offline_label.text() == ""
    finally:
        win.shutdown()


def test_a_standalone_window_says_standalone_and_starts_no_sync(qtbot: Any, data_dir: Path) -> None:
    win = open_window(qtbot, data_dir)
    try:
        assert win.sync_worker is None
        assert win.sync_label.text() == _("Standalone: not connected to a loyalty server")
    finally:
        win.shutdown()


def test_a_backup_is_taken_at_start_when_due_and_not_again_when_fresh(qtbot: Any, data_dir: Path) -> None:
    assert list_backups(data_dir) == []
    win = CounterWindow(data_dir, config=CONFIG)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.backup_checked, timeout=TIMEOUT) as checked:
        win.show()
    try:
        assert checked.args[0] is not None and len(list_backups(data_dir)) == 1
        assert win.backup_label.text().startswith(_("Backup done at {time}").split("{")[0])
        with qtbot.waitSignal(win.backup_checked, timeout=TIMEOUT) as again:
            win.check_backup()  # what the 10-minute timer does
        assert again.args[0] is None and len(list_backups(data_dir)) == 1
    finally:
        win.shutdown()


def test_a_failing_backup_shows_in_the_status_bar_and_the_counter_keeps_working(
        qtbot: Any, data_dir: Path) -> None:
    blocker = data_dir / "backups"
    shutil.rmtree(blocker, ignore_errors=True)
    blocker.write_text("not a folder")  # the backup folder cannot be created
    win = CounterWindow(data_dir, config=CONFIG)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.backup_checked, timeout=TIMEOUT) as checked:
        win.show()
    try:
        assert isinstance(checked.args[0], ServiceError)
        assert win.backup_label.text().startswith(_("Backup failed: {error}").split("{")[0])
        sign_in(qtbot, win)
    finally:
        win.shutdown()


def test_a_wrong_clock_is_warned_about_in_the_status_bar(qtbot: Any, pair: Pair) -> None:
    win = open_window(qtbot, pair.data_dir, pair.server)
    try:
        status = wait_synced(qtbot, win)
        assert _("Warning: this terminal's clock").split("{")[0][:10] not in win.sync_label.text()
        skewed = dataclasses.replace(status, clock_offset_ms=-12 * 60_000)  # 12 minutes behind the server
        with qtbot.waitSignal(win.sync_status_shown, timeout=TIMEOUT):
            win.sync_bridge.changed.emit(skewed)  # as the sync worker reports it
        expected = _("Warning: this terminal's clock differs from the server's by {minutes} minutes; "
                     "check the date and time.").format(minutes=12)
        assert expected in win.sync_label.text()
    finally:
        win.shutdown()


def test_after_a_sync_pull_the_member_shown_and_the_rewards_are_fresh(qtbot: Any, pair: Pair,
                                                                       tmp_path: Path) -> None:
    """Points earned at another counter and a reward the head office added reach the screen with the pull
    that brought them (the sync worker's notification), without signing in again or finding the member."""
    from sync import protocol as p
    from sync.server import service as server_svc
    from tests.sync.client.harness import Term

    win = open_window(qtbot, pair.data_dir, pair.server)
    other = Term("other", tmp_path / "other-counter", pair.server)
    try:
        wait_synced(qtbot, win)
        member = sign_in_and_find(qtbot, win)
        assert member.balance == 800
        assert win.member_balance.text() == _("{points} points").format(points="800")

        other.enroll()
        other.sync()  # the other counter learns the member
        other.services.award(member_id=pair.member_id, amount_satang=50_000, receipt_ref="R-OTHER",
                             operator_id="cashier1")
        other.sync()
        assert pair.server.balances()[pair.member_id] == 820
        pair.server.tx(lambda c: server_svc.upsert_reward(c, p.RewardInfo(
            code="MUG", name_th="แก้วมัค", name_en="Mug", points_cost=150, stock=5, active=True)))

        with qtbot.waitSignal(win.pulled_refreshed, timeout=TIMEOUT,
                              check_params_cb=lambda m: m is not None and m.balance == 820) as refreshed:
            win.sync_worker.trigger()
        assert refreshed.args[0].id == pair.member_id
        assert win.member_balance.text() == _("{points} points").format(points="820")
        names = [win.reward_combo.itemText(i) for i in range(win.reward_combo.count())]
        assert _("{reward} ({points} points)").format(reward="แก้วมัค", points="150") in names
    finally:
        other.close()
        win.shutdown()
