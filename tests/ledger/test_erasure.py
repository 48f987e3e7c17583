"""PDPA erasure in the terminal's ledger (docs/privacy.md): the erasure pulled from the server removes the member's
name and phone from the file's bytes and from the WAL while the counter keeps the ledger open; the hash chain,
the balances and the outbox stay true; the outbox accepts no other change; a ledger written before secure_delete
was on is rewritten once when it is opened."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from pos_app.ledger.repository import FREE_SPACE_ZEROED, Ledger, NewEntry, now_ms
from pos_app.ledger.sync_store import LedgerSyncStore
from sync.records import content_hash, erased_member_record, ms_to_iso

NAME, PHONE = "มาลี ใจดีมาก", "0865554321"
SECRETS = [NAME.encode(), PHONE.encode(), "ใจดีมาก".encode()]


def on_disk(ledger: Ledger) -> list[bytes]:
    """Which of the member's personal data the ledger file and its WAL hold, byte for byte."""
    found = []
    for path in (ledger.path, ledger.path.with_name(ledger.path.name + "-wal")):
        if path.exists():
            data = path.read_bytes()
            found += [s for s in SECRETS if s in data]
    return found


def enroll(ledger: Ledger, member_id: str, name: str, phone: str, card_no: str) -> None:
    with ledger.write() as conn:
        ledger.add_member(conn, member_id=member_id, card_no=card_no, name=name, phone=phone, tier="member",
                          consent=True, created_at_ms=now_ms())


def earn(ledger: Ledger, member_id: str, points: int) -> None:
    with ledger.write() as conn:
        ledger.append_entry(conn, NewEntry(member_id=member_id, kind="earn", points=points, sale_at_ms=now_ms(),
                                           operator_id="c1", amount_satang=points * 2500, receipt_ref=f"R{points}"))


def erased_state(ledger: Ledger, member_id: str) -> dict:
    with ledger.read() as conn:
        row = ledger.get_member(conn, member_id)
    assert row is not None
    return {"id": member_id, "card_no": row.card_no, "name": "", "phone": None, "tier": row.tier,
            "consent": row.consent, "created_at": ms_to_iso(row.created_at_ms), "terminal_id": row.terminal_id,
            "balance": row.points, "member_code": None, "offline_redeem_blocked": False, "merged_into": None,
            "erased": True}


@pytest.fixture
def ledger(tmp_path: Path):
    ledger = Ledger.open(tmp_path)
    yield ledger
    ledger.close()


def test_an_erasure_from_the_server_leaves_no_byte_of_name_or_phone_in_the_open_ledger_and_its_wal(
        ledger: Ledger) -> None:
    enroll(ledger, "m-erase", NAME, PHONE, "8000000000000019")
    enroll(ledger, "m-keep", "Somchai Stays", "0811112222", "8000000000000027")
    with ledger.write() as conn:  # the row is rewritten (a longer row): older versions of it sit in the file too
        ledger.set_member_code(conn, "m-erase", "LM1:K1:" + "x" * 120)
    for points in (40, 10):
        earn(ledger, "m-erase", points)
    earn(ledger, "m-keep", 5)
    with ledger.read() as conn:
        original = json.loads(conn.exec_driver_sql(
            "SELECT payload FROM outbox WHERE type = 'member' AND ref_id = 'm-erase'").scalar_one())["member"]
    assert set(on_disk(ledger)) == set(SECRETS)  # the test can fail: the ledger holds them before

    LedgerSyncStore(ledger).apply_changes([{"change_id": 9, "type": "member",
                                            "member": erased_state(ledger, "m-erase")}], 9)

    assert on_disk(ledger) == []  # file and WAL, with the ledger still open (as at the counter)
    report = ledger.verify()
    assert report.ok and report.entries == 3 and report.members == 2
    with ledger.read() as conn:
        member = ledger.get_member(conn, "m-erase")
        assert member is not None and member.erased
        assert (member.name, member.phone, member.member_code, member.points) == ("", None, None, 50)
        assert ledger.get_member(conn, "m-keep").name == "Somchai Stays"  # type: ignore[union-attr]
        record = json.loads(conn.exec_driver_sql(
            "SELECT payload FROM outbox WHERE type = 'member' AND ref_id = 'm-erase'").scalar_one())["member"]
        assert record == erased_member_record(original) and record["content_hash"] == content_hash(record)
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM operations WHERE kind = 'enroll'").scalar_one() == 0
    # pulled again (a later page repeats the member): nothing changes, nothing fails
    LedgerSyncStore(ledger).apply_changes([{"change_id": 10, "type": "member",
                                            "member": erased_state(ledger, "m-erase")}], 10)
    assert ledger.verify().ok


def test_the_outbox_accepts_only_the_erased_form_of_a_member_record(ledger: Ledger) -> None:
    enroll(ledger, "m1", NAME, PHONE, "8000000000000019")
    earn(ledger, "m1", 10)
    con = sqlite3.connect(ledger.path)
    try:
        payload = json.loads(con.execute("SELECT payload FROM outbox WHERE type = 'member'").fetchone()[0])
        renamed = dict(payload, member=dict(payload["member"], name="Someone Else"))
        other_phone = dict(payload, member=dict(payload["member"], name="", phone="0800000000"))
        other_id = dict(payload, member=dict(payload["member"], name="", phone=None, id="m2"))
        for bad in (renamed, other_phone, other_id):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                con.execute("UPDATE outbox SET payload = ? WHERE type = 'member'", (json.dumps(bad),))
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            con.execute("UPDATE outbox SET payload = '{}' WHERE type = 'entry'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            con.execute("DELETE FROM outbox WHERE type = 'member'")
        erased = dict(payload, member=erased_member_record(payload["member"]))
        con.execute("UPDATE outbox SET payload = ? WHERE type = 'member'", (json.dumps(erased),))
        con.commit()
    finally:
        con.close()


def test_a_ledger_written_before_secure_delete_is_rewritten_once_and_its_chain_still_verifies(
        tmp_path: Path) -> None:
    ledger = Ledger.open(tmp_path)
    enroll(ledger, "m1", "Somchai", PHONE, "8000000000000019")
    for points in range(1, 30):
        earn(ledger, "m1", points)
    ledger.close()
    # As an older version left it: secure_delete off, a row with a name written and deleted (it stays in the
    # free space of the file).
    con = sqlite3.connect(tmp_path / "ledger.sqlite3", isolation_level=None)
    con.execute("PRAGMA secure_delete=OFF")
    con.execute("INSERT INTO members (id, card_no, name, phone, tier, consent, created_at_ms, terminal_id, origin) "
                "VALUES ('ghost', '8000000000000027', 'Old Name Before', '0800000001', 'member', 1, 1, 'T', 'remote')")
    con.execute("DELETE FROM members WHERE id = 'ghost'")
    con.execute("DELETE FROM meta WHERE key = ?", (FREE_SPACE_ZEROED,))
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    assert b"Old Name Before" in (tmp_path / "ledger.sqlite3").read_bytes()

    ledger = Ledger.open(tmp_path)
    try:
        assert b"Old Name Before" not in (tmp_path / "ledger.sqlite3").read_bytes()
        report = ledger.verify()
        assert report.ok and report.entries == 29
        with ledger.read() as conn:
            assert ledger.get_meta(conn, FREE_SPACE_ZEROED) is not None
            assert ledger.balance(conn, "m1") == sum(range(1, 30))
        earn(ledger, "m1", 100)  # the chain goes on from the same last entry
        assert ledger.verify().ok
    finally:
        ledger.close()


def test_no_piece_of_an_erased_name_is_left_in_the_name_search_index(tmp_path: Path) -> None:
    """The name index (trigrams, migration 0011) marks a changed name deleted but keeps its trigrams in older
    segments until they are merged: erasure merges them, so not even three letters of the name stay on disk."""
    from pos_app.services import open_terminal

    name = "ฐิติพงษ์ลักษณ์วงศ์"
    svc = open_terminal(tmp_path / "t")
    try:
        ids = [svc.members.enroll(name=name if i == 7 else f"คนที่ {i} ทดสอบ", phone=f"08{i:08d}",
                                  operator_id="c").id for i in range(300)]
        assert [m.id for m in svc.search_members("ลักษณ์")] == [ids[7]]
        with svc.ledger.engine.begin() as conn:
            assert svc.ledger.erase_member_data(conn, ids[7], now_ms())
        assert svc.search_members("ลักษณ์") == []
        assert svc.ledger.checkpoint_truncate()
    finally:
        svc.close()
    data = b"".join(p.read_bytes() for p in (tmp_path / "t").glob("ledger.sqlite3*"))
    pieces = {name[i:i + 3] for i in range(len(name) - 2)}
    assert [piece for piece in sorted(pieces) if piece.encode() in data] == []
