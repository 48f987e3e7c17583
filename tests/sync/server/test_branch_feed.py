"""The branch-scoped change feed (``GET /v1/changes?scope=branch``): a terminal mirrors the members of its own
branch; a member who roams in brings their whole history with the link; following a member; the full feed is
unchanged for terminals that do not ask for the scope. Real server app on PostgreSQL."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from sync.server import service as svc
from sync.server.app import run_tx
from tests.sync.server.terminal import Terminal

pytestmark = pytest.mark.postgres

OTHER = "FEED3"


@pytest.fixture(scope="module")
def in_branch(engine: Engine, client: TestClient) -> Callable[..., Terminal]:
    """A terminal enrolled at BKK01 or at a second branch (OTHER), pulling the scope given."""
    run_tx(engine, lambda c: svc.add_branch(c, OTHER, "Second branch", svc.utcnow()))

    def make(branch: str, scope: str | None = "branch") -> Terminal:
        t = Terminal(client, scope=scope)
        code = run_tx(engine, lambda c: svc.issue_enrollment_code(c, branch, svc.utcnow(), 1))[0]
        r = t.enroll(code)
        assert r.status_code == 200, r.text
        return t
    return make


def entries_of(changes: list[dict[str, Any]], member_id: str) -> list[dict[str, Any]]:
    return [c["entry"] for c in changes if c["type"] == "entry" and c["entry"]["member_id"] == member_id]


def member_of(changes: list[dict[str, Any]], member_id: str) -> dict[str, Any] | None:
    states = [c["member"] for c in changes if c["type"] == "member" and c["member"]["id"] == member_id]
    return states[-1] if states else None


def reference(changes: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    keys = {"rules": "version", "reward": "code", "staff": "id", "public_key": "key_id", "policy": "version"}
    return sorted((c["type"], c[c["type"]][keys[c["type"]]]) for c in changes if c["type"] in keys)


def test_a_branch_terminal_gets_its_branchs_members_and_all_the_reference_data(
        in_branch: Callable[..., Terminal]) -> None:
    home, same, elsewhere = in_branch("BKK01"), in_branch("BKK01"), in_branch(OTHER)
    whole = in_branch(OTHER, scope=None)
    member = home.member()
    earns = [home.earn(member["member"]["id"], 100_000), home.earn(member["member"]["id"], 50_000)]
    home.upload_ok([member, *earns])
    mid = member["member"]["id"]
    got_same, got_elsewhere, got_whole = same.pull_all(), elsewhere.pull_all(), whole.pull_all()
    assert [e["id"] for e in entries_of(got_same, mid)] == [r["entry"]["id"] for r in earns]
    assert member_of(got_same, mid)["balance"] == 60  # type: ignore[index]
    assert member_of(got_elsewhere, mid) is None and entries_of(got_elsewhere, mid) == []
    assert member_of(got_whole, mid) is not None and len(entries_of(got_whole, mid)) == 2  # full feed: everyone
    # the rules, rewards, staff, policy and keys are the chain's, whichever feed
    assert reference(got_elsewhere) == reference(got_whole) and reference(got_elsewhere)


def test_a_member_who_roams_in_brings_their_whole_history_once(in_branch: Callable[..., Terminal]) -> None:
    """An entry of the member committed at their home branch BEFORE the link: the other branch's puller has long
    passed its change id, and still receives it (with the link), exactly once, and the balance adds up."""
    home, puller, roamed_to = in_branch("BKK01"), in_branch(OTHER), in_branch(OTHER)
    member = home.member()
    mid = member["member"]["id"]
    history = [home.earn(mid, 25_000 * (i + 1)) for i in range(4)] + [home.redeem(mid, 3, offline=False)]
    home.upload_ok([member, *history])
    assert entries_of(puller.pull_all(), mid) == []  # not the branch's member (yet); the cursor moves past them
    roam = roamed_to.earn(mid, 75_000)
    roamed_to.upload_ok([roam])  # a sale at the other branch: links the member there
    got = puller.pull_all()
    ids = [e["id"] for e in entries_of(got, mid)]
    assert Counter(ids) == Counter([r["entry"]["id"] for r in history] + [roam["entry"]["id"]])
    state = member_of(got, mid)
    assert state is not None and state["balance"] == 10 + 20 + 30 + 40 - 3 + 30
    assert sum(e["points"] for e in entries_of(got, mid)) == state["balance"]
    assert puller.pull_all() == []  # nothing comes twice
    # from now on the member's new entries, wherever they are made, reach the branch
    later = home.earn(mid, 250_000)
    home.upload_ok([later])
    assert [e["id"] for e in entries_of(puller.pull_all(), mid)] == [later["entry"]["id"]]
    # the roaming terminal gets the member's history too, but never its own sale back
    mine = roamed_to.pull_all()
    assert {e["id"] for e in entries_of(mine, mid)} == {r["entry"]["id"] for r in history + [later]}


@pytest.mark.timeout(60)
def test_a_link_that_commits_after_a_pulls_snapshot_comes_with_the_next_pull(
        engine: Engine, in_branch: Callable[..., Terminal]) -> None:
    home, puller = in_branch("BKK01"), in_branch(OTHER)
    member = home.member()
    mid = member["member"]["id"]
    earn = home.earn(mid, 125_000)
    home.upload_ok([member, earn])
    puller.pull_all()
    with engine.connect() as conn:
        tx = conn.begin()
        terminal = svc.authenticate(conn, puller.auth["Authorization"], svc.utcnow())
        svc.follow_member(conn, terminal, svc.utcnow(), member_id=mid)  # the link, still uncommitted
        between = puller.pull_all()
        assert member_of(between, mid) is None and entries_of(between, mid) == []
        tx.commit()
    after = puller.pull_all()  # the cursor of the pull in between stayed below the link
    assert member_of(after, mid) is not None
    assert [e["id"] for e in entries_of(after, mid)] == [earn["entry"]["id"]]


def test_following_a_member_links_them_to_the_branch(in_branch: Callable[..., Terminal]) -> None:
    home, counter = in_branch("BKK01"), in_branch(OTHER)
    members = [home.member() for _ in range(3)]
    home.upload_ok([*members, *[home.earn(r["member"]["id"], 50_000) for r in members]])
    counter.pull_all()
    by_id, by_phone, by_card = (r["member"] for r in members)
    for how in ({"member_id": by_id["id"]}, {"phone": by_phone["phone"]}, {"card_no": by_card["card_no"]}):
        r = counter.follow(**how)
        assert r.status_code == 200, r.text
    assert r.json()["id"] == by_card["id"] and r.json()["balance"] == 20
    got = counter.pull_all()
    for mb in (by_id, by_phone, by_card):
        assert member_of(got, mb["id"]) is not None and len(entries_of(got, mb["id"])) == 1
    assert counter.follow(member_id=by_id["id"]).status_code == 200  # again: harmless, nothing new to pull
    assert counter.pull_all() == []


def test_following_refuses_an_unknown_member_and_a_request_that_is_not_exactly_one_key(
        in_branch: Callable[..., Terminal]) -> None:
    counter = in_branch(OTHER)
    r = counter.follow(phone="0899999999")
    assert r.status_code == 404 and r.json()["error"]["code"] == "unknown_member"
    assert r.json()["error"]["message"] == "unknown member"
    r = counter.follow(member_id="0190b8d5-0000-7000-8000-000000000000")
    assert r.status_code == 404 and r.json()["error"]["code"] == "unknown_member"
    for body in ({}, {"phone": "0811111111", "card_no": "1234"}):
        r = counter.follow(**body)
        assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"
        assert "exactly one of member_id, phone, card_no" in r.text
    r = counter.follow(phone="12")
    assert r.status_code == 422 and r.json()["error"]["code"] == "bad_phone"


def test_a_merge_gives_the_target_the_sources_branches(engine: Engine,
                                                       in_branch: Callable[..., Terminal]) -> None:
    home, other_home, puller = in_branch("BKK01"), in_branch(OTHER), in_branch(OTHER)
    target, source = home.member(), other_home.member()
    home.upload_ok([target, home.earn(target["member"]["id"], 100_000)])
    other_home.upload_ok([source, other_home.earn(source["member"]["id"], 50_000)])
    puller.pull_all()
    tid, sid = target["member"]["id"], source["member"]["id"]
    run_tx(engine, lambda c: svc.merge_members(c, sid, tid, "support", svc.utcnow()))
    got = puller.pull_all()
    merged, kept = member_of(got, sid), member_of(got, tid)
    assert merged is not None and merged["merged_into"] == tid and merged["balance"] == 0
    assert kept is not None and kept["balance"] == 40 + 20
    assert sum(e["points"] for e in entries_of(got, tid)) == 60  # the target's own earn and the moved points


def test_the_full_feed_is_unchanged_for_terminals_that_do_not_ask_for_the_scope(
        engine: Engine, client: TestClient, in_branch: Callable[..., Terminal]) -> None:
    old, explicit = in_branch(OTHER, scope=None), in_branch(OTHER, scope="chain")
    home = in_branch("BKK01")
    member = home.member()
    home.upload_ok([member, home.earn(member["member"]["id"], 100_000)])

    def body(t: Terminal) -> bytes:
        r = client.get("/v1/changes", headers=t.auth, params={"cursor": 0, "limit": 1000}
                       | ({"scope": t.scope} if t.scope else {}))
        assert r.status_code == 200
        return r.content.split(b'"server_time"')[0]

    assert body(old) == body(explicit)
    policies = [c["policy"] for c in old.pull_all() if c["type"] == "policy"]
    assert policies and all("feed_scope" not in pol for pol in policies)  # the policy reads as before
    run_tx(engine, lambda c: svc.set_policy(c, {"feed_scope": "branch"}))
    got = old.pull_all()
    assert [c["policy"]["feed_scope"] for c in got if c["type"] == "policy"] == ["branch"]
    later = home.earn(member["member"]["id"], 25_000)
    home.upload_ok([later])
    # the server never narrows a terminal's feed: the terminal asks (from its policy), a terminal of before keeps all
    assert [e["id"] for e in entries_of(old.pull_all(), member["member"]["id"])] == [later["entry"]["id"]]
    run_tx(engine, lambda c: svc.set_policy(c, {"feed_scope": "chain"}))


def test_the_scope_must_be_chain_or_branch(client: httpx.Client, in_branch: Callable[..., Terminal]) -> None:
    t = in_branch(OTHER)
    r = client.get("/v1/changes", headers=t.auth, params={"scope": "region"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"


def test_an_erasure_reaches_every_branchs_counters_without_the_name_or_phone(
        engine: Engine, in_branch: Callable[..., Terminal]) -> None:
    """A counter that held the member before its chain narrowed to the branch feed (here: a member it never
    mirrored under the branch feed) still learns of the erasure; an ordinary change of the member does not reach
    it."""
    home, elsewhere = in_branch("BKK01"), in_branch(OTHER)
    member = home.member()
    mid = member["member"]["id"]
    home.upload_ok([member, home.earn(mid, 100_000)])
    elsewhere.pull_all()
    home.upload_ok([home.earn(mid, 50_000)])
    assert member_of(elsewhere.pull_all(), mid) is None  # not the branch's member: its changes stay home
    run_tx(engine, lambda c: svc.erase_member(c, mid, "request #11", "dpo", svc.utcnow()))
    got = elsewhere.pull_all()
    erased = member_of(got, mid)
    assert erased is not None and erased["erased"] is True
    assert erased["name"] == "" and erased["phone"] is None and erased["member_code"] is None
    assert entries_of(got, mid) == []  # the erasure only: the member's history stays at the branches that hold it


def test_a_page_counts_the_histories_its_links_bring_toward_its_limit(in_branch: Callable[..., Terminal]) -> None:
    """A counter enrolled into a busy branch, or one that followed many members at once: each link brings the
    member's whole history, and a page still keeps to the limit the terminal asked for (a page it cannot take in
    one local transaction would be asked again forever); only a link that comes first is sent whole."""
    home, counter = in_branch("BKK01"), in_branch(OTHER)
    members = [home.member() for _ in range(3)]
    for member in members:
        mid = member["member"]["id"]
        home.upload_ok([member, *[home.earn(mid, 25_000 * (i + 1)) for i in range(8)]])
    counter.pull_all()
    for member in members:
        assert counter.follow(member_id=member["member"]["id"]).status_code == 200
    pages = counter.pull_pages(12)
    assert [len(p) for p in pages] == [9, 9, 9]  # a member and their 8 entries each: two links never fit in 12
    got = [c for p in pages for c in p]
    for member in members:
        mid = member["member"]["id"]
        state = member_of(got, mid)
        assert len(entries_of(got, mid)) == 8 and state is not None and state["balance"] == 10 * 36
    first = in_branch(OTHER)  # a new counter of the branch, from cursor 0, asking for pages of 5
    pages = first.pull_pages(5)
    over = [p for p in pages if len(p) > 5]
    # a link that comes first in its page is sent whole (its member and 8 entries), alone
    assert len(over) >= 3 and all(len({c["member"]["id"] for c in p if c["member"]}) == 1 for p in over)
    got = [c for p in pages for c in p]
    assert all(len(entries_of(got, member["member"]["id"])) == 8 for member in members)
