"""A terminal restored from an older backup gets back its own records from the server (``/v1/own-records``),
page by page, including entries for members enrolled elsewhere; a ledger copied back by hand (no restore
mark) is caught by the server's higher ack and recovers the same way."""

from __future__ import annotations

import shutil
from collections.abc import Callable

import pytest

from pos_app.ledger.backup import backup, restore
from pos_app.services.errors import ServiceError
from tests.sync.client.harness import InProcessServer, Term, new_member

MakeTerm = Callable[..., Term]


def seqs(t: Term) -> list[int]:
    with t.services.ledger.read() as conn:
        return [int(r[0]) for r in conn.exec_driver_sql("SELECT seq FROM outbox ORDER BY seq").all()]


def agree(t: Term, server: InProcessServer) -> None:
    server_view = {k: v for k, v in server.balances().items() if k in t.balances()}
    assert t.balances() == server_view
    assert sorted(t.entry_ids()) == sorted(server.entry_ids())
    assert t.services.ledger.verify().ok and server.verify() == []
    assert seqs(t) == list(range(1, len(seqs(t)) + 1))
    assert t.store.queued_count() == 0 and t.store.state().acked_seq == seqs(t)[-1]


def test_restore_recovers_many_pages_and_entries_for_members_of_other_terminals(
        server: InProcessServer, terminal: MakeTerm) -> None:
    a, b = terminal("a"), terminal("b")
    mine = new_member(a, "0810000101", 100)
    a.sync()
    taken = backup(a.data_dir)
    theirs = new_member(b, "0810000102", 50)  # enrolled at B after A's backup
    b.sync(), a.sync()
    for n in range(20):  # more than two pages of /v1/own-records (the harness pulls 9 per page)
        a.services.award(member_id=mine if n % 2 else theirs, amount_satang=25_000, receipt_ref=f"A-{n}",
                         operator_id="cashier1")
    late = new_member(a, "0810000103", 100)
    a.sync()
    before = a.balances()
    high = seqs(a)[-1]

    a.close()
    info = restore(a.data_dir, taken.path)
    assert info.enrolled and info.kept is not None and info.kept.exists()
    a.open()
    assert a.store.state().restore_pending and seqs(a)[-1] < high
    with pytest.raises(ServiceError, match="restored from a backup"):  # nothing new until it has them back
        a.services.award(member_id=mine, amount_satang=2_500, receipt_ref="EARLY", operator_id="cashier1")
    a.sync()
    assert not a.store.state().restore_pending
    assert a.balances() == before and seqs(a)[-1] == high
    assert a.services.members.get(late).name == "Member 0103"
    a.services.award(member_id=theirs, amount_satang=2_500, receipt_ref="AFTER", operator_id="cashier1")
    assert seqs(a)[-1] == high + 1
    a.sync(), b.sync()
    agree(a, server)
    assert b.balances() == {k: v for k, v in server.balances().items() if k in b.balances()}
    assert not server.flags()  # nothing blamed on the terminal


def test_a_ledger_copied_back_by_hand_is_caught_by_the_servers_ack(server: InProcessServer,
                                                                   terminal: MakeTerm) -> None:
    a = terminal("a")
    member = new_member(a, "0810000201", 100)
    copy = a.data_dir.parent / "by-hand.sqlite3"
    a.services.award(member_id=member, amount_satang=2_500, receipt_ref="H-1", operator_id="cashier1")
    a.close()
    shutil.copyfile(a.data_dir / "ledger.sqlite3", copy)  # not sent yet: 3 records queued in the copy
    a.open()
    for n in range(2, 6):
        a.services.award(member_id=member, amount_satang=2_500, receipt_ref=f"H-{n}", operator_id="cashier1")
    a.sync()
    before = a.balances()
    a.close()
    (a.data_dir / "ledger.sqlite3").unlink()
    for side in ("-wal", "-shm"):
        (a.data_dir / f"ledger.sqlite3{side}").unlink(missing_ok=True)
    shutil.copyfile(copy, a.data_dir / "ledger.sqlite3")
    a.open()
    assert not a.store.state().restore_pending and a.store.queued_count() > 0
    a.sync()  # the upload's answer (ack above what was sent) starts the recovery instead of failing
    assert a.balances() == before
    agree(a, server)


def test_a_copied_back_ledger_with_nothing_queued_is_not_a_successful_sync_until_it_has_its_records(
        server: InProcessServer, terminal: MakeTerm) -> None:
    a = terminal("a")
    member = new_member(a, "0810000301", 100)
    a.sync()
    a.close()
    copy = a.data_dir.parent / "synced-copy.sqlite3"
    shutil.copyfile(a.data_dir / "ledger.sqlite3", copy)  # everything acknowledged: nothing queued in the copy
    a.open()
    for n in range(3):
        a.services.award(member_id=member, amount_satang=25_000, receipt_ref=f"Q-{n}", operator_id="cashier1")
    a.sync()
    before = a.balances()
    a.close()
    for side in ("", "-wal", "-shm"):
        (a.data_dir / f"ledger.sqlite3{side}").unlink(missing_ok=True)
    shutil.copyfile(copy, a.data_dir / "ledger.sqlite3")
    a.open()
    assert a.store.queued_count() == 0 and not a.store.state().restore_pending
    result = a.sync()  # the change feed carries the server's ack for this terminal: it is ahead -> recovery
    assert result.acked_seq == seqs(a)[-1] == 7  # member, its 2 consent records, 4 sales
    assert a.balances() == before
    agree(a, server)


def test_a_batch_over_the_servers_body_cap_is_sent_again_in_smaller_batches(server: InProcessServer,
                                                                             terminal: MakeTerm) -> None:
    import dataclasses

    from sync.client import SyncClient

    a = terminal("a")
    member = new_member(a, "0810000401", 100)
    a.sync()
    for n in range(150):
        a.services.award(member_id=member, amount_satang=2_500, receipt_ref=f"B-{n}", operator_id="cashier1")
    server.settings = dataclasses.replace(server.settings, max_body_bytes=64 * 1024)
    server.restart()
    client = SyncClient(a.store, transport=server.transport(), batch_size=1000)
    try:
        result = client.sync_once()
    finally:
        client.close()
    bodies = [len(body) for method, path, body in server.log if path in ("/v1/upload", "/v1/sync")]
    assert max(bodies) > 64 * 1024  # the first try was over the cap (413, nothing stored) ...
    # ... and everything went in smaller ones (member, its 2 consent records, 151 sales)
    assert result.acked_seq == 154 and a.store.queued_count() == 0
    agree(a, server)
