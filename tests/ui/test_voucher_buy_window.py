"""A member's points for a voucher in the counter window, against a real ``loyalty-server serve --demo`` process
on loopback and a terminal enrolled with ``pos-terminal``: the reward's tile says it gives a voucher; redeeming it
buys the voucher through the server (never an ordinary redemption that would spend the points for nothing);
offline it is refused with one line and nothing is spent; a retry after a lost answer spends the points once and
gives the same voucher, printed on the slip as a QR the counter's own decoder reads back."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_cashier_screens import assert_fits
from ui_steps import TIMEOUT, find_member, show, sign_in

from hardware.cards import scanner_read_back
from hardware.printers import FakePrinter
from pos_app.config import PrinterSection, SyncSection, TerminalConfig
from pos_app.core import i18n
from pos_app.ui.counter import CounterWindow
from tests.sync.e2e.test_two_terminals import DemoServer, cli, free_port
from tests.sync.e2e.test_vouchers_e2e import admin
from tests.sync.proxy import LosingProxy

PHONE = "0891234567"


def _voucher_reward(demo: DemoServer) -> None:
    """V50: 150 points buy a ฿50 voucher valid 30 days."""
    admin(demo, "reward", "set", "V50", "--name-th", "บัตรกำนัล 50 บาท", "--name-en", "50 baht voucher", "--cost",
          "150")
    admin(demo, "voucher", "reward", "--reward", "V50", "--value", "50.00", "--valid-days", "30")


def _window(qtbot: Any, terminal: Path) -> tuple[CounterWindow, FakePrinter]:
    """The counter window on ``terminal`` at 1024x768, a fake slip printer, no sync of its own (the test syncs)."""
    fake = FakePrinter()
    config = TerminalConfig(sync=SyncSection(interval_seconds=3600),
                            printer=PrinterSection(kind="network", address="192.0.2.1", paper_mm=80))
    win = CounterWindow(terminal, config=config, printer=fake)
    win.resize(1024, 768)
    show(qtbot, win)
    return win, fake


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[DemoServer]:
    server = DemoServer(tmp_path / "server", free_port())
    server.start()
    yield server
    server.stop()


def test_a_voucher_reward_bought_in_the_window_online_once_refused_offline_and_printed_as_a_qr(
        qtbot: Any, demo: DemoServer, tmp_path: Path, thai_font_family: str) -> None:
    i18n.set_language("en")
    terminal = tmp_path / "t1"
    cli(terminal, "enroll", "--server", demo.url, "--code", demo.read_banner()[0])
    _voucher_reward(demo)
    member = cli(terminal, "member", "enroll", "--name", "Somsri", "--phone", PHONE)["id"]
    cli(terminal, "award", "--member", member, "--amount", "10000", "--receipt", "B-1")  # 400 points
    cli(terminal, "sync", "--once")  # the reward arrives marked as a voucher

    win, fake = _window(qtbot, terminal)
    try:
        sign_in(qtbot, win)
        find_member(qtbot, win, PHONE)
        tiles = {t.code: t for t in win.redeem_state.tiles()}
        assert tiles["V50"].voucher == "A voucher: ฿50.00 off the bill"
        assert tiles["COFFEE"].voucher == ""  # an ordinary reward says nothing of the kind
        index = [t.code for t in win._shown_tiles()].index("V50")
        button = win.reward_tiles[index]
        assert button.text() == "50 baht voucher\n150 points\nA voucher: ฿50.00 off the bill"
        button.click()
        assert win.reward_combo.currentData() == "V50"
        assert "Buy voucher: 150 points" in win.redeem_button.text()
        assert_fits(win, (1024, 768), "a voucher reward chosen")
        win.lang_button.click()  # in Thai too: the tile and the button say it, nothing cut off
        assert button.text() == "บัตรกำนัล 50 บาท\n150 แต้ม\nบัตรกำนัล: ลด ฿50.00 จากบิล"
        assert "ซื้อบัตรกำนัล: 150 แต้ม" in win.redeem_button.text()
        assert_fits(win, (1024, 768), "a voucher reward chosen, in Thai")
        win.lang_button.click()

        # offline: one line, nothing spent, no ordinary redemption instead
        demo.stop()
        with qtbot.waitSignal(win.error_shown, timeout=TIMEOUT) as refused:
            win.redeem_button.click()
        assert refused.args[0] == "A voucher can only be bought with points while the terminal is online."
        assert win.redeem_error.text() == refused.args[0]
        assert cli(terminal, "member", "show", member)["balance"] == 400
        assert [e["kind"] for e in cli(terminal, "history", "--member", member)] == ["earn"]

        # online again; the first attempt's answer was lost (its purchase went through under the window's
        # operation id): pressing again spends nothing more and gives the same voucher
        demo.start()
        op_id = win.voucher_buys.for_request(member, "V50", win._staff.id).op_id
        first = cli(terminal, "voucher", "buy", "--member", member, "--reward", "V50", "--op-id", op_id,
                    "--operator", win._staff.id)
        assert first["balance_after"] == 250
        with qtbot.waitSignal(win.slip_printed, timeout=TIMEOUT):
            with qtbot.waitSignal(win.operation_done, timeout=TIMEOUT) as done:
                win.redeem_button.click()
        bought = done.args[0]
        assert (bought.op_id, bought.code, bought.points, bought.balance_after) == (op_id, first["code"], 150, 250)
        assert bought.description == "฿50.00 off the bill"
        assert win.status.text() == (f"Done: voucher {bought.voucher_id} bought for 150 points: ฿50.00 off the "
                                     f"bill, valid until {bought.valid_until}. It is printed on the slip. New "
                                     "balance 250 points.")
        assert win._member.balance == 250
        assert list(scanner_read_back(fake.printed[-1]).qr_texts) == [bought.code]  # the slip's QR scans back
        assert win.reward_combo.currentData() is None  # the next one is a new purchase
    finally:
        win.shutdown()
    cli(terminal, "sync", "--once")
    assert demo.balance(member) == 250  # spent once on the server too
    redeems = [e for e in cli(terminal, "history", "--member", member) if e["kind"] == "redeem"]
    assert [(e["points"], e["reward_code"]) for e in redeems] == [(-150, "V50")]


def test_a_failed_voucher_purchase_is_retried_as_the_same_operation_and_let_go_when_the_member_changes(
        qtbot: Any, demo: DemoServer, tmp_path: Path) -> None:
    """Two failures, then the cashier serves someone else. (1) The hold's answer is lost: nothing was spent here,
    so moving to another member releases the hold on the server at once (not left to lapse). (2) The points were
    spent but the voucher's answer is lost: moving on keeps the purchase and says how to fetch it; back at the
    member and the reward, pressing again is the same operation: the same points, spent once, and the voucher."""
    i18n.set_language("en")
    banner = demo.read_banner()
    proxy = LosingProxy(demo.url)
    terminal = tmp_path / "t1"
    cli(terminal, "enroll", "--server", proxy.url, "--code", banner[0])
    _voucher_reward(demo)
    member = cli(terminal, "member", "enroll", "--name", "Somsri", "--phone", PHONE)["id"]
    cli(terminal, "member", "enroll", "--name", "Malee", "--phone", "0897654321")
    cli(terminal, "award", "--member", member, "--amount", "10000", "--receipt", "B-1")  # 400 points
    cli(terminal, "sync", "--once")

    def holds() -> list[tuple[str, str]]:
        with sqlite3.connect(demo.demo_dir / "loyalty-demo.sqlite3") as db:
            return list(db.execute("SELECT id, status FROM reservations WHERE member_id = ? ORDER BY created_at",
                                   (member,)))

    win, _printer = _window(qtbot, terminal)
    try:
        sign_in(qtbot, win)

        def choose_voucher() -> None:
            index = [t.code for t in win._shown_tiles()].index("V50")
            win.reward_tiles[index].click()
            assert "Buy voucher: 150 points" in win.redeem_button.text()

        # (1) the hold reaches the server, its answer does not: nothing spent here; a retry is the same hold
        find_member(qtbot, win, PHONE)
        choose_voucher()
        proxy.lose = {"/v1/reservations"}
        for _attempt in range(2):
            with qtbot.waitSignal(win.error_shown, timeout=TIMEOUT) as refused:
                win.redeem_button.click()
            assert refused.args[0] == "A voucher can only be bought with points while the terminal is online."
        assert [status for _id, status in holds()] == ["held"]  # one hold for both presses
        assert cli(terminal, "member", "show", member)["balance"] == 400
        proxy.lose = set()
        with qtbot.waitSignal(win.voucher_buy_let_go, timeout=TIMEOUT) as let_go:
            find_member(qtbot, win, "0897654321")  # the next customer
        assert let_go.args[1] is True
        assert [status for _id, status in holds()] == ["voided"]  # released now, not left to lapse
        assert ("POST", f"/v1/reservations/{holds()[0][0]}/void") in proxy.seen

        # (2) the points are spent, the voucher's answer is lost
        find_member(qtbot, win, PHONE)
        choose_voucher()
        proxy.lose = {"/v1/vouchers/issue"}
        with qtbot.waitSignal(win.error_shown, timeout=TIMEOUT) as lost:
            win.redeem_button.click()
        assert lost.args[0] == ("The points were redeemed but the voucher could not be fetched: press the button "
                                "again when the terminal is online (no more points are spent).")
        assert cli(terminal, "member", "show", member)["balance"] == 250
        owed = win.voucher_buys.owed()
        assert [(b.member_id, b.reward_code) for b in owed] == [(member, "V50")]
        find_member(qtbot, win, "0897654321")
        assert win.status.text() == (
            f"Somsri's voucher (50 baht voucher) is paid for but was not fetched: find the member again and press "
            f"Buy voucher (no more points are spent; operation {owed[0].op_id}).")
        assert [status for _id, status in holds()][-1] == "held"  # the spent points' hold is not released
        proxy.lose = set()
        find_member(qtbot, win, PHONE)
        choose_voucher()
        with qtbot.waitSignal(win.operation_done, timeout=TIMEOUT) as done:
            win.redeem_button.click()
        bought = done.args[0]
        assert (bought.op_id, bought.points, bought.balance_after) == (owed[0].op_id, 150, 250)
        assert win.voucher_buys.owed() == []
    finally:
        win.shutdown()
    try:
        cli(terminal, "sync", "--once")
    finally:
        proxy.close()
    assert demo.balance(member) == 250  # spent once on the server too
    redeems = [e for e in cli(terminal, "history", "--member", member) if e["kind"] == "redeem"]
    assert [(e["points"], e["reward_code"]) for e in redeems] == [(-150, "V50")]
    assert [status for _id, status in holds()] == ["voided", "posted"]
