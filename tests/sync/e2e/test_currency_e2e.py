"""End to end, a tourist branch: head office publishes dollar and yen rates (a new rules version) on the demo
server (a real process on loopback); two terminals enrolled with ``pos-terminal enroll`` pull them, take a dollar
sale online and a yen sale while the server is down, and come back to the same balances and entries, with the
original currencies, and no mismatch raised by the server's own recomputation."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import httpx

from pos_app.core.rules import Currencies, FxRate, default_rules
from pos_app.services.terminal import open_terminal
from sync.server.demo import DEMO_ADMIN_TOKEN
from tests.sync.e2e.test_two_terminals import DemoServer, cli

ADMIN = {"Authorization": f"Bearer {DEMO_ADMIN_TOKEN}"}


def test_foreign_currency_sales_online_offline_and_back(demo: DemoServer, tmp_path: Path) -> None:
    codes = demo.read_banner()
    since = datetime(2026, 1, 1, tzinfo=UTC)
    bundle = dataclasses.replace(default_rules(40), currencies=Currencies(
        (FxRate("USD", "35.8125", since), FxRate("JPY", "0.2251", since))))
    r = httpx.post(f"{demo.url}/admin/v1/rules", headers=ADMIN, json={"bundle_json": bundle.to_json()}, timeout=10)
    assert r.status_code == 200, r.text
    dirs = [tmp_path / "t1", tmp_path / "t2"]
    for d, code in zip(dirs, codes, strict=True):
        cli(d, "enroll", "--server", demo.url, "--code", code)
        cli(d, "sync", "--once")
    shown = cli(dirs[1], "rules", "show")
    assert shown["version"] == 40 and shown["currencies_accepted"] == ["JPY", "USD"]

    # online: a dollar sale at terminal 1 reaches terminal 2 with its currency
    member_id = cli(dirs[0], "member", "enroll", "--name", "Tourist", "--phone", "0891234568")["id"]
    sale = cli(dirs[0], "award", "--member", member_id, "--amount", "40.00", "--currency", "USD", "--receipt", "FX-1")
    assert (sale["amount_satang"], sale["points"]) == (143_250, 57)
    cli(dirs[0], "sync", "--once")
    cli(dirs[1], "sync", "--once")
    assert cli(dirs[1], "balance", "--member", member_id)["balance"] == demo.balance(member_id) == 57

    # offline: terminal 2 takes yen while the server is down
    demo.stop()
    yen = cli(dirs[1], "award", "--member", member_id, "--amount", "10,000", "--currency", "JPY", "--receipt", "FX-2")
    assert (yen["amount_minor"], yen["amount_satang"], yen["points"]) == (10_000, 225_100, 90)

    # back: both sync; the same balance and the same entries (currency and all) everywhere, nothing flagged
    demo.start()
    cli(dirs[1], "sync", "--once")
    cli(dirs[0], "sync", "--once")
    assert demo.balance(member_id) == 57 + 90
    flags = httpx.get(f"{demo.url}/admin/v1/flags", headers=ADMIN, params={"all": "true"}, timeout=10).json()
    assert [f for f in flags if f["kind"] in ("fx_mismatch", "points_mismatch", "quarantined")] == []
    seen = []
    for d in dirs:
        s = open_terminal(d)
        try:
            assert s.members.get(member_id).balance == 57 + 90
            seen.append(sorted((e.receipt_ref, e.currency, e.amount_minor, e.fx_rate, e.amount_satang)
                               for e in s.history(member_id) if e.kind == "earn"))
            assert s.ledger.verify().ok  # the chain re-hashes the entries with their currency fields
        finally:
            s.close()
    assert seen[0] == seen[1] == [("FX-1", "USD", 4000, "35.8125", 143_250), ("FX-2", "JPY", 10_000, "0.2251", 225_100)]
