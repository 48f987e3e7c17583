"""Download: what a terminal receives, paging, and a cursor that never skips a row under concurrent writers
(several terminals against two real server processes on one PostgreSQL)."""

from __future__ import annotations

import gc
import random
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from pos_app.core.rules import default_rules
from sync import protocol as p
from sync.server import models as m
from sync.server import service as svc
from sync.server.app import run_tx
from tests.sync.feed import wait_for_feed
from tests.sync.server.conftest import ServerProcess
from tests.sync.server.terminal import Terminal

pytestmark = pytest.mark.postgres

NewTerminal = Callable[[httpx.Client], Terminal]


def test_pull_brings_others_entries_members_and_reference_data(client: TestClient, engine: Engine,
                                                               new_terminal: NewTerminal) -> None:
    a, b = new_terminal(client), new_terminal(client)
    start = b.pull_all()
    types = Counter(c["type"] for c in start)
    assert types["rules"] >= 1 and types["reward"] >= 3 and types["staff"] == 2 and types["policy"] == 1
    assert types["public_key"] == 1
    member = a.member()
    earn = a.earn(member["member"]["id"], 100_000)
    a.upload_ok([member, earn])
    got = b.pull_all()
    entries = [c["entry"] for c in got if c["type"] == "entry"]
    assert entries == [earn["entry"]]  # byte-for-byte what a sent: the hash still verifies
    assert p.Entry.model_validate(entries[0]).hash_ok()
    state = next(c["member"] for c in got if c["type"] == "member" and c["member"]["id"] == member["member"]["id"])
    assert state["balance"] == 40 and state["phone"] == member["member"]["phone"]
    # the uploader does not get its own entry back, but does get the member's new state
    mine = a.pull_all()
    assert not [c for c in mine if c["type"] == "entry" and c["entry"]["terminal_id"] == a.terminal_id]
    assert any(c["type"] == "member" and c["member"]["id"] == member["member"]["id"] for c in mine)
    # new rules, policy and a key rotation all arrive through the same feed
    run_tx(engine, lambda c: svc.set_rules(c, default_rules(2).to_json(), svc.utcnow()))
    run_tx(engine, lambda c: svc.set_policy(c, {"max_points_per_redemption": 300}))
    later = b.pull_all()
    assert {c["rules"]["version"] for c in later if c["type"] == "rules"} == {1, 2}  # 1 deactivated, 2 active
    assert [c["policy"]["max_points_per_redemption"] for c in later if c["type"] == "policy"] == [300]
    assert b.pull()["changes"] == []


def test_paging_lists_a_member_before_entries_that_refer_to_it(client: TestClient,
                                                               new_terminal: NewTerminal) -> None:
    a, b = new_terminal(client), new_terminal(client)
    b.pull_all()
    member = a.member()
    a.upload_ok([member] + [a.earn(member["member"]["id"], 25_000) for _ in range(9)])
    seen_members: set[str] = set()
    entries = 0
    pages = 0
    while True:
        page = b.pull(limit=3)
        pages += 1
        for change in page["changes"]:
            if change["type"] == "member":
                seen_members.add(change["member"]["id"])
            elif change["type"] == "entry":
                assert change["entry"]["member_id"] in seen_members
                entries += 1
        b.cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    assert entries == 9 and pages >= 3


@pytest.fixture(scope="module")
def other_branch(engine: Engine) -> str:
    """A second branch (code FEED2) for the branch-scoped feed: returns its code."""
    run_tx(engine, lambda c: svc.add_branch(c, "FEED2", "Second branch", svc.utcnow()))
    return "FEED2"


@pytest.mark.parametrize("via", ["changes", "sync"])
@pytest.mark.parametrize("scope", [None, "branch"])
def test_concurrent_uploads_and_pulls_on_two_servers_never_miss_an_entry(
        engine: Engine, servers: list[ServerProcess], enroll_code: Callable[[], str], other_branch: str,
        scope: str | None, via: str) -> None:
    """Four uploaders in two branches; two of their members roam (a third of the batches are sales to one of
    them, at either branch), two pullers (one per branch). Full feed: every puller gets
    every entry exactly once. Branch scope: every entry of every member linked to its branch (enrolled there,
    or roaming through it), exactly once, however the links and the entries interleave (the backfill).
    ``via="sync"``: as counters of protocol 1.3 do, each uploader's batch goes with a pull in one ``POST /v1/sync``
    (what it pulls is counted too), and the pullers pull by ``POST /v1/sync`` without an upload."""
    clients = [httpx.Client(base_url=s.url, timeout=60) for s in servers]
    codes = {"BKK01": enroll_code, other_branch: lambda: run_tx(
        engine, lambda c: svc.issue_enrollment_code(c, other_branch, svc.utcnow(), 1))[0]}
    homes = ["BKK01", other_branch, "BKK01", other_branch]
    uploaders = [Terminal(clients[i % 2], scope=scope) for i in range(4)]
    pullers = [Terminal(clients[i % 2], scope=scope) for i in range(2)]
    for t, home in zip(uploaders + pullers, homes + ["BKK01", other_branch], strict=True):
        assert t.enroll(codes[home]()).status_code == 200
    branch_of = {t.terminal_id: t.snapshot["branch"]["id"] for t in uploaders + pullers}  # type: ignore[index]
    for t in pullers:
        t.pull_all()
    members = {t.terminal_id: t.member() for t in uploaders}
    for t in uploaders:
        t.upload_ok([members[t.terminal_id]])
    roaming = [members[t.terminal_id]["member"]["id"] for t in uploaders[:2]]  # the others stay at home
    all_entries: dict[str, tuple[str, str]] = {}  # entry id -> (terminal id, member id)
    lock = threading.Lock()
    done = threading.Event()
    errors: list[str] = []
    seen: dict[str, Counter[str]] = {t.terminal_id: Counter() for t in pullers + uploaders}

    def count(t: Terminal, page: dict[str, Any]) -> None:
        for change in page["changes"]:
            if change["type"] == "entry":
                seen[t.terminal_id][change["entry"]["id"]] += 1

    def upload(t: Terminal, seed: int) -> None:
        rnd = random.Random(seed)
        try:
            own = members[t.terminal_id]["member"]["id"]
            for _ in range(12):
                member_id = rnd.choice(roaming) if rnd.random() < 0.34 else own
                batch = [t.earn(member_id, rnd.randrange(2_500, 500_000)) for _ in range(rnd.randint(1, 9))]
                with lock:
                    all_entries.update({r["entry"]["id"]: (t.terminal_id, member_id) for r in batch})
                if via == "sync":
                    r = t.sync(batch, limit=7, flags=False)
                    assert r.status_code == 200, r.text
                    count(t, r.json()["changes"])
                else:
                    t.upload_ok(batch)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))

    def pull(t: Terminal) -> None:
        try:
            while True:
                finished = done.is_set()
                if via == "sync":
                    r = t.sync(limit=7, flags=False)  # moves the cursor
                    assert r.status_code == 200, r.text
                    page = r.json()["changes"]
                else:
                    page = t.pull(limit=7)
                    t.cursor = page["next_cursor"]
                count(t, page)
                if finished and not page["has_more"]:
                    return
        except Exception as exc:  # noqa: BLE001
            errors.append(repr(exc))

    up = [threading.Thread(target=upload, args=(t, i)) for i, t in enumerate(uploaders)]
    down = [threading.Thread(target=pull, args=(t,)) for t in pullers]
    for th in up + down:
        th.start()
    for th in up:
        th.join()
    done.set()
    for th in down:
        th.join()
    assert not errors
    assert len(all_entries) > 40
    links = set(run_tx(engine, lambda c: [(r.member_id, r.branch_id) for r in c.execute(
        select(m.member_branches))]))

    def expected(t: Terminal) -> set[str]:
        if scope is None:
            return {e for e, (owner, _) in all_entries.items() if owner != t.terminal_id}
        return {e for e, (owner, member) in all_entries.items()
                if owner != t.terminal_id and (member, branch_of[t.terminal_id]) in links}

    if scope == "branch":  # the roaming made the scopes differ, and each branch holds only part of the chain
        assert all(0 < len(expected(t)) < len(all_entries) for t in pullers)
    for t in pullers:
        counts = seen[t.terminal_id]
        missing = expected(t) - set(counts)
        assert not missing, f"cursor of {t.terminal_id} skipped {len(missing)} entries"
        assert not set(counts) - expected(t), "an entry of a member of another branch was delivered"
        assert max(counts.values()) == 1, "an entry was delivered twice"
    for t in uploaders:  # each uploader sees exactly the others' entries (of its branch's members), once
        count(t, {"changes": t.pull_all()})  # from 0 (or where its rounds' pulls left it): earlier tests' too
        got = {e: n for e, n in seen[t.terminal_id].items() if e in all_entries}
        assert set(got) == expected(t) and max(got.values(), default=1) == 1
    assert run_tx(engine, svc.verify_balances) == []
    for http in clients:
        http.close()


def test_a_member_in_the_same_page_comes_before_the_entries_that_refer_to_it(
        client: TestClient, new_terminal: NewTerminal) -> None:
    """Regression: members already in the page were left out of the hoisting step, so a page listed a member
    (whose change id is newer: its balance changed with the entries) AFTER the entries referring to it."""
    a, b = new_terminal(client), new_terminal(client)
    b.pull_all()
    member = a.member()
    a.upload_ok([member] + [a.earn(member["member"]["id"], 25_000) for _ in range(3)])
    page = b.pull(limit=500)
    assert not page["has_more"]
    kinds = [(c["type"], c["member"]["id"] if c["type"] == "member" else c["entry"]["member_id"])
             for c in page["changes"] if c["type"] in ("member", "entry")]
    mid = member["member"]["id"]
    assert kinds.count(("member", mid)) == 1 and kinds.count(("entry", mid)) == 3
    assert kinds.index(("member", mid)) < kinds.index(("entry", mid))
    # the cursor still covers the whole page: nothing comes again
    b.cursor = page["next_cursor"]
    assert b.pull()["changes"] == []


@pytest.mark.timeout(60)  # under a shared change counter the upload waits for the open writer: fail, not hang
def test_an_upload_commits_beside_an_open_writer_and_a_pull_in_between_misses_nothing(
        client: TestClient, engine: Engine, new_terminal: NewTerminal) -> None:
    """Writers do not queue behind each other (no shared change counter), yet a pull taken while an older writer is
    still open cannot pass its rows: the cursor stops below the oldest open transaction."""
    a, b = new_terminal(client), new_terminal(client)
    b.pull_all()
    member = a.member()
    a.upload_ok([member])
    b.pull_all()
    with engine.connect() as conn:
        tx = conn.begin()
        svc.set_rules(conn, default_rules(7).to_json(), svc.utcnow())  # an older writer, still open
        earn = a.earn(member["member"]["id"], 250_000)
        a.upload_ok([earn])  # commits now: under a shared counter it would wait for the open writer
        between = b.pull_all()
        assert not [c for c in between if c["type"] in ("entry", "rules")]  # held back, not skipped
        tx.commit()
    after = b.pull_all()
    assert [c["entry"]["id"] for c in after if c["type"] == "entry"] == [earn["entry"]["id"]]
    assert 7 in {c["rules"]["version"] for c in after if c["type"] == "rules"}


def test_entries_built_once_per_process_are_pulled_exactly_as_built_fresh(
        client: TestClient, engine: Engine, new_terminal: NewTerminal, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every terminal pulls the same new entries within one interval; the server builds each once (a bounded
    cache per process). What a terminal receives is the same as without it, page for page, and the cache keeps
    to its bound."""
    writer, a, b = new_terminal(client), new_terminal(client), new_terminal(client)
    for t in (a, b):
        t.pull_all()
    start_a, start_b = a.cursor, b.cursor
    member = writer.member()
    writer.upload_ok([member] + [writer.earn(member["member"]["id"], 2_500 * (i + 1)) for i in range(6)])
    writer.upload_ok([writer.redeem(member["member"]["id"], 2)])

    def pages(t: Terminal, cursor: int) -> list[dict[str, object]]:
        out, limit = [], 3  # several pages: entries cached by one page are served again by the next pull
        wait_for_feed(engine)  # a transaction anywhere in the cluster would otherwise move where the pages end
        while True:
            body = t.pull(cursor=cursor, limit=limit)
            body.pop("server_time")
            out.append(body)
            cursor = body["next_cursor"]  # type: ignore[assignment]
            if not body["has_more"]:
                return out

    monkeypatch.setattr(svc, "ENTRY_CACHE_SIZE", 0)
    svc._entry_changes.clear()
    fresh = pages(a, start_a)
    assert [c["entry"]["points"] for page in fresh for c in page["changes"] if c["type"] == "entry"] \
        == [1, 2, 3, 4, 5, 6, -2]
    monkeypatch.setattr(svc, "ENTRY_CACHE_SIZE", 4)
    assert pages(a, start_a) == fresh  # builds and keeps (at most 4)
    assert 0 < len(svc._entry_changes) <= 4
    # kept as text, which the garbage collector does not walk (models were ~10 tracked objects an entry: a full
    # collection of a long-running process walked 200,000 of them)
    assert not any(gc.is_tracked(kept) for kept in svc._entry_changes.values())
    assert pages(a, start_a) == fresh  # partly from the cache
    other = pages(b, start_b)
    assert [c for page in other for c in page["changes"]] == [c for page in fresh for c in page["changes"]]
