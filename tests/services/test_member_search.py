"""Finding a member by part of the name, in Thai and in English, on a real ledger file."""

from __future__ import annotations

import pytest

from pos_app.services.errors import InvalidInput


@pytest.fixture
def members(services):
    enroll = services.members.enroll
    return {
        "somchai": enroll(name="Somchai Jaidee", phone="081-234-5678", operator_id="c"),
        "jai": enroll(name="Jaidee Wong", phone="089-111-2222", operator_id="c"),
        "anna": enroll(name="Anna Smith", phone="02-123-4567", operator_id="c"),
        "thai": enroll(name="สมชาย ใจดี", phone="086-555-0001", operator_id="c"),
        "thai2": enroll(name="สมหญิง รักไทย", phone="086-555-0002", operator_id="c"),
        "odd": enroll(name="100% Pure_Joy", phone="086-555-0003", operator_id="c"),
    }


def test_partial_case_insensitive_english_names_best_matches_first(services, members) -> None:
    found = services.search_members("JAIDEE")
    # a name starting with the text first, then a name with a word starting with it
    assert [m.name for m in found] == ["Jaidee Wong", "Somchai Jaidee"]
    hit = found[1]
    assert (hit.id, hit.tier, hit.phone_masked, hit.card_suffix) == (
        members["somchai"].id, "member", "•••-•••-5678", members["somchai"].card_no[-4:])
    assert [m.name for m in services.search_members("mit")] == ["Anna Smith"]
    assert services.search_members("anna")[0].phone_masked == "••-•••-4567"


def test_thai_names_match_any_part(services, members) -> None:
    assert [m.name for m in services.search_members("สม")] == ["สมชาย ใจดี", "สมหญิง รักไทย"]
    assert [m.name for m in services.search_members("ใจดี")] == ["สมชาย ใจดี"]
    assert [m.name for m in services.search_members("  รัก  ")] == ["สมหญิง รักไทย"]


def test_wildcards_are_plain_letters_and_the_limit_holds(services, members) -> None:
    assert [m.name for m in services.search_members("0%")] == ["100% Pure_Joy"]
    assert [m.name for m in services.search_members("e_j")] == ["100% Pure_Joy"]
    assert services.search_members("__") == []
    assert [m.name for m in services.search_members("an", limit=1)] == ["Anna Smith"]
    assert services.search_members("nobody here") == []


def test_refusals(refused, services, members) -> None:
    with refused(InvalidInput, "invalid_input", "Type at least 2 letters of the name."):
        services.search_members(" a ")
    with refused(InvalidInput, "invalid_input", "A name to search is at most 60 letters."):
        services.search_members("x" * 61)
    with refused(InvalidInput, "invalid_input", "Show 1 to 50 members."):
        services.search_members("anna", limit=0)


def test_identify_still_takes_exact_identifiers(services, members) -> None:
    assert services.identify("0812345678").id == members["somchai"].id
    assert services.identify(members["anna"].card_no).id == members["anna"].id


# ---------------------------------------------------------------- the trigram name index (migration 0011)
def _plan(services, text: str) -> str:
    from pos_app.ledger import repository

    phrase = '"' + text + '"'
    with services.ledger.read() as conn:
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + repository._SQL_MEMBER_NAME_MATCH,
                                    (phrase, "x%", "% x%", 10)).fetchall()
    return " | ".join(str(r[-1]) for r in rows)


def test_thai_names_written_without_spaces_are_found_by_any_part(services) -> None:
    enroll = services.members.enroll
    joined = enroll(name="สมชายใจดี", phone="086-555-0011", operator_id="c")
    enroll(name="มาลีศรีสุข", phone="086-555-0012", operator_id="c")
    enroll(name="Wichai Thongdee", phone="086-555-0013", operator_id="c")
    assert [m.id for m in services.search_members("ชายใจ")] == [joined.id]  # the middle of one written word
    assert [m.name for m in services.search_members("ศรีสุข")] == ["มาลีศรีสุข"]
    assert [m.name for m in services.search_members("ชาย")] == ["สมชายใจดี"]
    assert [m.name for m in services.search_members("CHAI")] == ["Wichai Thongdee"]  # Latin in any case
    assert [m.name for m in services.search_members('"ดี')] == []  # a quote is a letter, not FTS syntax
    plan = _plan(services, "ชายใจ")
    assert "SCAN f VIRTUAL TABLE INDEX 0:M" in plan  # the names come from the index's MATCH ...
    assert "SEARCH m USING INTEGER PRIMARY KEY (rowid=?)" in plan  # ... and only their members are read
    assert "SCAN m" not in plan


def test_the_index_follows_new_and_renamed_members(services) -> None:
    first = services.members.enroll(name="กนกพร แก้วใส", phone="086-555-0021", operator_id="c")
    assert [m.id for m in services.search_members("แก้วใส")] == [first.id]
    row = services.members.get(first.id)
    with services.ledger.write() as conn:  # the server renamed her; a pull brings the new name
        services.ledger.sync_upsert_member(
            conn, member_id=first.id, card_no=row.card_no, name="กนกพร ทองดี", phone=None, tier="member",
            consent=True, created_at_ms=0, terminal_id="T", member_code=None, flagged=None)
    assert services.search_members("แก้วใส") == []
    assert [m.name for m in services.search_members("ทองดี")] == ["กนกพร ทองดี"]
    with services.ledger.read() as conn:
        indexed = conn.exec_driver_sql("SELECT count(*) FROM member_name_index").scalar_one()
        members = conn.exec_driver_sql("SELECT count(*) FROM members").scalar_one()
    assert indexed == members == 1


def test_an_existing_ledger_is_indexed_when_it_migrates(tmp_path) -> None:
    import sqlite3

    from pos_app.ledger import migrate
    from pos_app.ledger.db import LEDGER_FILENAME, create_ledger_engine
    from pos_app.services import open_terminal

    data_dir = tmp_path / "old"
    data_dir.mkdir()
    path = data_dir / LEDGER_FILENAME
    engine = create_ledger_engine(path)
    migrate.upgrade(engine, "0006")  # a ledger from before the index, with members in it
    engine.dispose()
    con = sqlite3.connect(path)
    con.execute("INSERT INTO meta VALUES ('terminal_id', 'T-OLD')")
    for i, name in enumerate(["สมหญิงรักไทย", "Anna Smith", "อนันต์ มั่นคง"]):
        con.execute("INSERT INTO members VALUES (?, ?, ?, ?, 'member', 1, 1, 'T-OLD', NULL, NULL, 'local')",
                    (f"m{i}", f"800000000000000{i}", name, f"08100000{i:02d}"))
        con.execute("INSERT INTO balances VALUES (?, 0, 0, 1)", (f"m{i}",))
    con.commit()
    con.close()
    services = open_terminal(data_dir)
    try:
        assert migrate.current_revision(services.ledger.engine) == migrate.head_revision()
        assert [m.id for m in services.search_members("หญิงรัก")] == ["m0"]
        assert [m.id for m in services.search_members("มั่นคง")] == ["m2"]
        assert [m.id for m in services.search_members("smith")] == ["m1"]
    finally:
        services.close()


def test_without_the_index_the_search_reads_every_name_as_before(services, members) -> None:
    """An SQLite without FTS5's trigram tokenizer gets no index (the migration builds it only if it can)."""
    with services.ledger.write() as conn:
        for name in ("member_name_index_ai", "member_name_index_au", "member_name_index_ad"):
            conn.exec_driver_sql(f"DROP TRIGGER {name}")
        conn.exec_driver_sql("DROP TABLE member_name_index")
    assert [m.name for m in services.search_members("JAIDEE")] == ["Jaidee Wong", "Somchai Jaidee"]
    assert [m.name for m in services.search_members("ใจดี")] == ["สมชาย ใจดี"]
    services.members.enroll(name="Nok Brown", phone="086-555-0031", operator_id="c")  # no trigger to trip
    assert [m.name for m in services.search_members("brow")] == ["Nok Brown"]
