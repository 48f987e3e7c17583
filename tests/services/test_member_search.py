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
