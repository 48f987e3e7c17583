"""The ledger file itself: append-only, hash chain, balance cache, integrity, backups, migrations, full disk."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import event, inspect

from pos_app.ledger import migrate, schema
from pos_app.ledger.backup import backup, list_backups, restore
from pos_app.ledger.db import LEDGER_FILENAME, LedgerCorrupt, LedgerFull, create_ledger_engine
from pos_app.ledger.repository import Ledger, NewEntry, now_ms


def _member(ledger: Ledger, member_id: str = "m1", phone: str = "0812345678") -> None:
    with ledger.write() as conn:
        ledger.add_member(conn, member_id=member_id, card_no="8" + member_id.rjust(14, "0")[:14] + "0",
                          name="Somchai", phone=phone, tier="member", consent=True, created_at_ms=now_ms())


def _earn(ledger: Ledger, points: int, member_id: str = "m1") -> str:
    with ledger.write() as conn:
        return ledger.append_entry(conn, NewEntry(
            member_id=member_id, kind="earn", points=points, sale_at_ms=now_ms(), operator_id="c1",
            amount_satang=points * 2500, receipt_ref=f"R{points}")).id


@pytest.fixture
def ledger(tmp_path: Path):
    ledger = Ledger.open(tmp_path)
    _member(ledger)
    yield ledger
    ledger.close()


def test_durability_settings_are_on(ledger: Ledger) -> None:
    with ledger.read() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_entries_cannot_be_edited_or_deleted(ledger: Ledger) -> None:
    _earn(ledger, 10)
    con = sqlite3.connect(ledger.path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        con.execute("UPDATE entries SET points = 1000")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        con.execute("DELETE FROM entries")
    con.close()


def test_balance_is_the_sum_of_entries_and_the_chain_verifies(ledger: Ledger) -> None:
    for points in (10, 25, 7):
        _earn(ledger, points)
    with ledger.write() as conn:
        ledger.append_entry(conn, NewEntry(member_id="m1", kind="redeem", points=-30, sale_at_ms=now_ms(),
                                           operator_id="c1"))
    with ledger.read() as conn:
        assert ledger.balance(conn, "m1") == 12
        assert [r["seq"] for r in ledger.outbox_after(conn, 0, 100)] == [1, 2, 3, 4, 5]
    report = ledger.verify()
    assert report.ok and report.entries == 4


def test_editing_the_file_behind_the_ledgers_back_is_detected(ledger: Ledger) -> None:
    _earn(ledger, 10)
    _earn(ledger, 20)
    con = sqlite3.connect(ledger.path)
    con.execute("DROP TRIGGER entries_no_update")
    con.execute("UPDATE entries SET points = 500 WHERE points = 10")
    con.commit()
    con.close()
    report = ledger.verify()
    assert not report.chain_ok
    assert report.balance_mismatches == ["m1"]


def test_unknown_member_entry_is_refused_and_nothing_is_written(ledger: Ledger) -> None:
    with pytest.raises(Exception, match="Unknown member|FOREIGN KEY"):
        with ledger.write() as conn:
            ledger.append_entry(conn, NewEntry(member_id="nobody", kind="earn", points=5, sale_at_ms=now_ms(),
                                               operator_id="c1"))
    assert ledger.verify().entries == 0


def test_corrupt_file_is_refused_with_the_way_out_and_left_untouched(tmp_path: Path) -> None:
    ledger = Ledger.open(tmp_path)
    _member(ledger)
    for points in range(1, 200):
        _earn(ledger, points)
    ledger.close()
    path = tmp_path / LEDGER_FILENAME
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    raw = bytearray(path.read_bytes())
    page = 4096
    for offset in range(2 * page, min(len(raw), 6 * page)):
        raw[offset] = 0xA5
    path.write_bytes(bytes(raw))
    before = path.read_bytes()
    with pytest.raises(LedgerCorrupt) as info:
        Ledger.open(tmp_path)
    assert "pos-terminal restore" in info.value.message
    assert path.read_bytes() == before


def test_backup_and_restore_round_trip(tmp_path: Path) -> None:
    ledger = Ledger.open(tmp_path)
    _member(ledger)
    _earn(ledger, 42)
    info = backup(tmp_path)
    _earn(ledger, 8)
    ledger.close()
    assert list_backups(tmp_path)[0].path == info.path
    restored = restore(tmp_path)
    # the replaced (healthy) file is kept under a name that says what it is, and still holds the newer award
    assert restored.kept is not None and restored.kept.name.startswith("replaced-by-restore-")
    assert restored.kept.parent == tmp_path and restored.kept.suffix == ".sqlite3"
    assert not restored.enrolled  # standalone: nothing to get back from a server
    kept = sqlite3.connect(restored.kept)
    assert kept.execute("SELECT SUM(points) FROM entries").fetchone()[0] == 50
    kept.close()
    ledger = Ledger.open(tmp_path)
    with ledger.read() as conn:
        assert ledger.balance(conn, "m1") == 42
    assert ledger.verify().ok
    ledger.close()


def test_restore_refuses_a_damaged_backup(tmp_path: Path) -> None:
    ledger = Ledger.open(tmp_path)
    _member(ledger)
    ledger.close()
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(Exception, match="damaged"):
        restore(tmp_path, bad)
    assert Ledger.open(tmp_path).verify().members == 1


def test_a_database_made_by_the_first_schema_upgrades_without_losing_anything(tmp_path: Path) -> None:
    path = tmp_path / LEDGER_FILENAME
    engine = create_ledger_engine(path)
    migrate.upgrade(engine, "0001")
    engine.dispose()
    con = sqlite3.connect(path)
    con.execute("INSERT INTO meta VALUES ('terminal_id', 'T-OLD')")
    con.execute("INSERT INTO members VALUES ('m1','8000000000000001','Old member','0812345678','member',1,1,"
                "'T-OLD',NULL,NULL,'local')")
    con.execute("INSERT INTO balances VALUES ('m1', 0, 0, 1)")
    con.commit()
    con.close()
    ledger = Ledger.open(tmp_path)
    assert migrate.current_revision(ledger.engine) == migrate.head_revision() != "0001"
    assert ledger.terminal_id == "T-OLD"
    _earn(ledger, 5)
    with ledger.read() as conn:
        assert ledger.get_member(conn, "m1").name == "Old member"
        assert ledger.balance(conn, "m1") == 5
    assert any(b.path.name.startswith("pre-migrate-0001") for b in list_backups(tmp_path))
    ledger.close()


def test_migrated_schema_matches_the_table_definitions(tmp_path: Path) -> None:
    ledger = Ledger.open(tmp_path)
    insp = inspect(ledger.engine)
    for table in schema.metadata.sorted_tables:
        assert {c["name"] for c in insp.get_columns(table.name)} == {c.name for c in table.columns}, table.name
    ledger.close()


def test_a_full_disk_is_reported_and_records_nothing(tmp_path: Path) -> None:
    ledger = Ledger.open(tmp_path)
    _member(ledger)
    with ledger.read() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()

    @event.listens_for(ledger.engine, "connect")
    def _tiny(dbapi_connection, _record):  # the file may not grow: SQLite answers "database or disk is full"
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

    ledger.close()  # new connections (the writer included) get the size limit
    with pytest.raises(LedgerFull) as info:
        for i in range(10_000):
            with ledger.write() as conn:
                ledger.append_entry(conn, NewEntry(
                    member_id="m1", kind="earn", points=1, sale_at_ms=now_ms(), operator_id="c1",
                    reason="x" * 2000 + str(i)))
    assert "disk is full" in info.value.message
    assert ledger.verify().ok


def test_a_long_read_does_not_hold_up_the_counter(ledger: Ledger) -> None:
    """Readers (reports, lookups) use deferred transactions: in WAL mode a write goes through meanwhile."""
    _earn(ledger, 1)
    with ledger.read() as reader:
        assert ledger.balance(reader, "m1") == 1
        _earn(ledger, 2)  # would wait for the busy timeout and fail if the read held the write lock
        assert ledger.balance(reader, "m1") == 1  # the reader keeps its snapshot
    with ledger.read() as conn:
        assert ledger.balance(conn, "m1") == 3
