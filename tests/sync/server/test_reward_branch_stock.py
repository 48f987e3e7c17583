"""Reward stock per branch: a redemption takes one from its terminal's branch only; each branch's terminals pull
their own branch's stock; two counters that took the last one offline are both kept and the second is flagged;
a reward's dates reach the counters when they pass; the catalogue's refusals."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import httpx
import pytest
import uuid6
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, text, update

from sync import protocol as p
from sync import records as rec
from sync.server import models as m
from sync.server import rewards as rw
from sync.server import service as svc
from sync.server.app import run_tx
from sync.server.errors import ApiError
from tests.sync.server.conftest import ServerProcess
from tests.sync.server.terminal import Terminal, now_iso

pytestmark = pytest.mark.postgres

NewTerminal = Callable[[httpx.Client], Terminal]


def make(engine: Engine, code: str, per_branch: bool = True, **dates: object) -> None:
    form = rw.RewardForm(code=code, name_th="แก้วน้ำ", name_en="Tumbler", points_cost=10,
                         active_from=dates.get("active_from"), active_until=dates.get("active_until"),  # type: ignore[arg-type]
                         per_branch_stock=per_branch)
    run_tx(engine, lambda c: rw.save(c, form, "test", svc.utcnow(), create=True))


def stock_at(engine: Engine, code: str, branch: str) -> int:
    rows = {r["code"]: r for r in run_tx(engine, lambda c: rw.catalogue(c, None, svc.utcnow()))}
    return int(rows[code]["stock"].get(branch, 0))


def pulled(t: Terminal, code: str) -> dict[str, object] | None:
    found = [c["reward"] for c in t.pull_all() if c["type"] == "reward" and c["reward"]["code"] == code]
    return found[-1] if found else None


def test_a_redemption_takes_from_its_branch_and_each_branch_pulls_its_own_stock(
        client: TestClient, engine: Engine, new_terminal: NewTerminal, enroll_code: Callable[[], str]) -> None:
    run_tx(engine, lambda c: svc.add_branch(c, "CNX09", "Chiang Mai 9", svc.utcnow()))
    make(engine, "TUMBLER")
    run_tx(engine, lambda c: rw.change_stock(c, "TUMBLER", "BKK01", 2, "set", svc.utcnow()))
    assert run_tx(engine, lambda c: rw.change_stock(c, "TUMBLER", "BKK01", 3, "add", svc.utcnow())) == (2, 5)
    run_tx(engine, lambda c: rw.change_stock(c, "TUMBLER", "CNX09", 1, "set", svc.utcnow()))
    bkk_a, bkk_b = new_terminal(client), new_terminal(client)
    code = run_tx(engine, lambda c: svc.issue_enrollment_code(c, "CNX09", svc.utcnow(), 1))[0]
    cnx = Terminal(client)
    assert cnx.enroll(code).status_code == 200
    # the enrollment snapshot already carries the branch's stock
    assert [r["stock"] for r in (cnx.snapshot or {})["rewards"] if r["code"] == "TUMBLER"] == [1]
    assert pulled(bkk_b, "TUMBLER")["stock"] == 5  # type: ignore[index]
    assert pulled(cnx, "TUMBLER")["stock"] == 1  # type: ignore[index]

    rec = bkk_a.member()
    mid = rec["member"]["id"]
    bkk_a.upload_ok([rec, bkk_a.earn(mid, 250_000), bkk_a.redeem(mid, 10, reward_code="TUMBLER")])
    assert stock_at(engine, "TUMBLER", "BKK01") == 4 and stock_at(engine, "TUMBLER", "CNX09") == 1
    assert pulled(bkk_b, "TUMBLER")["stock"] == 4  # type: ignore[index]
    assert pulled(cnx, "TUMBLER") is None  # another branch's stock is not sent to Chiang Mai


def test_two_counters_take_the_last_one_offline_both_kept_the_second_flagged(
        client: TestClient, engine: Engine, new_terminal: NewTerminal) -> None:
    make(engine, "LASTONE")
    run_tx(engine, lambda c: rw.change_stock(c, "LASTONE", "BKK01", 1, "set", svc.utcnow()))
    a, b = new_terminal(client), new_terminal(client)
    rec = a.member()
    mid = rec["member"]["id"]
    a.upload_ok([rec, a.earn(mid, 250_000)])
    b.pull_all()
    first = a.upload_ok([a.redeem(mid, 10, reward_code="LASTONE")])
    second_record = b.redeem(mid, 10, reward_code="LASTONE")
    second = b.upload_ok([second_record])
    assert [r["status"] for r in first["results"] + second["results"]] == ["stored", "stored"]
    assert stock_at(engine, "LASTONE", "BKK01") == 0
    assert not [f for f in first["flags"] if f["kind"] == "reward_oversold"]
    oversold = [f for f in second["flags"] if f["kind"] == "reward_oversold"]
    assert [(f["entry_id"], f["details"]["reward_code"], f["details"]["branch_id"]) for f in oversold] == \
        [(second_record["entry"]["id"], "LASTONE", "BKK01")]


def _refusal(r: httpx.Response) -> tuple[int, str, dict[str, object]]:
    body = r.json()
    return r.status_code, body.get("error", {}).get("code", ""), body.get("error", {}).get("details", {})


def _chain_reward(engine: Engine, code: str, stock: int) -> None:
    run_tx(engine, lambda c: svc.upsert_reward(c, p.RewardInfo(code=code, name_th="ร่ม", name_en="Umbrella",
                                                               points_cost=10, stock=stock, active=True)))


def _terminal_at(http: httpx.Client, engine: Engine, branch: str) -> Terminal:
    if not run_tx(engine, lambda c: c.execute(select(m.branches.c.id).where(m.branches.c.code == branch)).first()):
        run_tx(engine, lambda c: svc.add_branch(c, branch, branch, svc.utcnow()))
    t = Terminal(http)
    assert t.enroll(run_tx(engine, lambda c: svc.issue_enrollment_code(c, branch, svc.utcnow(), 1))[0]) \
        .status_code == 200
    return t


def test_online_the_last_one_of_a_branch_is_promised_once(
        client: TestClient, engine: Engine, new_terminal: NewTerminal) -> None:
    make(engine, "HOLDME")
    a, b = new_terminal(client), new_terminal(client)
    kkc = _terminal_at(client, engine, "KKC03")
    run_tx(engine, lambda c: rw.change_stock(c, "HOLDME", "BKK01", 1, "set", svc.utcnow()))
    run_tx(engine, lambda c: rw.change_stock(c, "HOLDME", "KKC03", 1, "set", svc.utcnow()))
    rec = a.member()
    mid = rec["member"]["id"]
    a.upload_ok([rec, a.earn(mid, 250_000)])  # 100 points: enough for several
    held = a.reserve(mid, 10, reward_code="HOLDME")
    assert held.status_code == 200, held.text
    rid = held.json()["reservation_id"]
    # the other counter of the branch: the one left is held for the first one's member
    assert _refusal(b.reserve(mid, 10, reward_code="HOLDME")) == \
        (409, "out_of_stock", {"reward_code": "HOLDME", "scope": "branch", "stock": 1, "held": 1})
    assert a.reserve(mid, 10, reservation_id=rid, reward_code="HOLDME").status_code == 200  # a retry is the hold
    assert kkc.reserve(mid, 10, reward_code="HOLDME").status_code == 200  # another branch counts its own shelf
    # the first counter's sale is cancelled: the hold goes, and the other counter gets the last one
    assert a.http.post(f"/v1/reservations/{rid}/void", headers=a.auth).status_code == 200
    second = b.reserve(mid, 10, reward_code="HOLDME")
    assert second.status_code == 200, second.text
    b.upload_ok([b.redeem(mid, 10, offline=False, reward_code="HOLDME",
                          reservation_id=second.json()["reservation_id"])])
    assert stock_at(engine, "HOLDME", "BKK01") == 0
    assert _refusal(a.reserve(mid, 10, reward_code="HOLDME")) == \
        (409, "out_of_stock", {"reward_code": "HOLDME", "scope": "branch", "stock": 0, "held": 0})
    # a reward whose stock is not counted, or one the server does not know, is never refused for stock
    assert a.reserve(mid, 10, reward_code="NO-SUCH-REWARD").status_code == 200


def test_online_a_chain_counted_reward_is_promised_once_across_branches(
        client: TestClient, engine: Engine, new_terminal: NewTerminal) -> None:
    _chain_reward(engine, "CHAINONE", 1)
    a, b = new_terminal(client), _terminal_at(client, engine, "PKT05")  # Bangkok and Phuket: one chain-wide count
    rec = a.member()
    mid = rec["member"]["id"]
    a.upload_ok([rec, a.earn(mid, 250_000)])
    short = a.reserve(mid, 10, reward_code="CHAINONE", ttl=5)
    assert short.status_code == 200, short.text
    assert _refusal(b.reserve(mid, 10, reward_code="CHAINONE")) == \
        (409, "out_of_stock", {"reward_code": "CHAINONE", "scope": "chain", "stock": 1, "held": 1})
    # a hold that has timed out stops counting (as its points stop being held)
    run_tx(engine, lambda c: c.execute(update(m.reservations).where(
        m.reservations.c.id == short.json()["reservation_id"]).values(expires_at=svc.utcnow() - timedelta(seconds=1))))
    second = b.reserve(mid, 10, reward_code="CHAINONE")
    assert second.status_code == 200, second.text
    # its redemption uploaded: the hold ends and the chain's count falls to 0, for every branch
    b.upload_ok([b.redeem(mid, 10, offline=False, reward_code="CHAINONE",
                          reservation_id=second.json()["reservation_id"])])
    assert _refusal(a.reserve(mid, 10, reward_code="CHAINONE")) == \
        (409, "out_of_stock", {"reward_code": "CHAINONE", "scope": "chain", "stock": 0, "held": 0})


def test_counters_racing_online_for_the_last_one_get_it_once(
        engine: Engine, servers: list[ServerProcess]) -> None:
    """Four counters in two branches, on two server processes, ask for the last one of a chain-counted reward at
    the same instant, each for a member of its own (so no member's lock orders them): one gets it, every time."""
    clients = [httpx.Client(base_url=servers[i % 2].url, timeout=30) for i in range(4)]
    counters = [_terminal_at(http, engine, "BKK01" if i < 2 else "PKT05") for i, http in enumerate(clients)]
    mids = []
    for t in counters:
        rec = t.member()
        t.upload_ok([rec, t.earn(rec["member"]["id"], 250_000)])
        mids.append(rec["member"]["id"])
    barrier = threading.Barrier(len(counters))
    for round_ in range(6):
        code = f"RACE{round_}"
        _chain_reward(engine, code, 1)
        outcomes: list[int] = [0] * len(counters)

        def ask(i: int, code: str = code, outcomes: list[int] = outcomes) -> None:
            barrier.wait()
            outcomes[i] = counters[i].reserve(mids[i], 10, reward_code=code).status_code

        threads = [threading.Thread(target=ask, args=(i,)) for i in range(len(counters))]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert sorted(outcomes) == [200, 409, 409, 409], (code, outcomes)
    for http in clients:
        http.close()


def test_a_reward_with_no_stock_at_a_branch_is_out_of_stock_there(
        client: TestClient, engine: Engine, new_terminal: NewTerminal) -> None:
    make(engine, "NOWHERE")
    t = new_terminal(client)
    assert pulled(t, "NOWHERE")["stock"] == 0  # type: ignore[index]


def test_dates_reach_the_counters_when_they_pass_and_retiring_stops_the_offer(
        client: TestClient, engine: Engine, new_terminal: NewTerminal) -> None:
    now = svc.utcnow()
    make(engine, "LATER", active_from=now + timedelta(days=1), active_until=now + timedelta(days=2))
    t = new_terminal(client)
    assert pulled(t, "LATER")["active"] is False  # type: ignore[index]
    assert run_tx(engine, lambda c: rw.refresh_windows(c, now + timedelta(hours=1))) == []
    assert run_tx(engine, lambda c: rw.refresh_windows(c, now + timedelta(days=1, hours=1))) == ["LATER"]
    assert pulled(t, "LATER")["active"] is True  # type: ignore[index]
    run_tx(engine, lambda c: rw.set_active(c, "LATER", False, "test"))
    assert pulled(t, "LATER")["active"] is False  # type: ignore[index]
    assert run_tx(engine, lambda c: rw.refresh_windows(c, now + timedelta(days=3))) == ["LATER"]
    assert pulled(t, "LATER")["active"] is False  # type: ignore[index]  # ended, and retired anyway


def test_the_catalogue_refuses_what_it_cannot_keep(engine: Engine) -> None:
    make(engine, "KEEP", per_branch=False)
    bad = rw.RewardForm(code="has space", name_th="", name_en="x" * 201, points_cost=0,
                        active_from=svc.utcnow(), active_until=svc.utcnow() - timedelta(days=1), per_branch_stock=True)
    assert rw.check(bad) == {"code": "bad_code", "name_th": "bad_name", "name_en": "bad_name",
                             "points_cost": "bad_cost", "active_until": "bad_dates"}
    again = rw.RewardForm(code="KEEP", name_th="ก", name_en="a", points_cost=5, active_from=None, active_until=None,
                          per_branch_stock=False)
    with pytest.raises(ApiError) as taken:
        run_tx(engine, lambda c: rw.save(c, again, "test", svc.utcnow(), create=True))
    assert taken.value.code == "reward_exists"
    with pytest.raises(ApiError) as chain:
        run_tx(engine, lambda c: rw.change_stock(c, "KEEP", "BKK01", 3, "set", svc.utcnow()))
    assert chain.value.code == "not_per_branch"
    make(engine, "KEEP2")
    for quantity, mode in ((-1, "set"), (0, "add"), (rw.MAX_STOCK + 1, "set")):
        with pytest.raises(ApiError) as refused:
            run_tx(engine, lambda c, q=quantity, md=mode: rw.change_stock(c, "KEEP2", "BKK01", q, md, svc.utcnow()))
        assert refused.value.code == "bad_quantity"
    with pytest.raises(ApiError) as nobranch:
        run_tx(engine, lambda c: rw.change_stock(c, "KEEP2", "NOPE", 1, "set", svc.utcnow()))
    assert nobranch.value.code == "unknown_branch"


def test_an_upload_locks_the_members_of_its_consents_before_any_reward(
        client: TestClient, engine: Engine, new_terminal: NewTerminal) -> None:
    """An upload's member locks come before its reward locks, a consent's member included (the service's lock
    order): a reservation holds its member, then waits for the reward, so an upload that locked the reward first
    and that member after would deadlock with it. Here the consenting member is held by another transaction: the
    upload waits for that member without holding the reward, which another transaction can still lock."""
    _chain_reward(engine, "ORDERED", 5)
    t = new_terminal(client)
    seller, consenting = t.member(), t.member()
    t.upload_ok([seller, t.earn(seller["member"]["id"], 250_000), consenting])
    consent = rec.consent_record(id=str(uuid6.uuid7()), terminal_id=t.terminal_id,
                                 member_id=consenting["member"]["id"], purpose="marketing", granted=True,
                                 text_version="v1", at=now_iso(), branch_id="BKK01", staff_id="cashier1")
    batch = [t.redeem(seller["member"]["id"], 10, reward_code="ORDERED")]
    t.seq += 1
    batch.append({"seq": t.seq, "type": "consent", "consent": consent})
    with engine.connect() as holder:
        holder.execute(select(m.members.c.id).where(m.members.c.id == consenting["member"]["id"]).with_for_update())
        done: list[int] = []
        upload = threading.Thread(target=lambda: done.append(t.upload(batch).status_code))
        upload.start()
        upload.join(1.5)  # the upload is waiting for the member now
        assert not done
        with engine.connect() as other:  # the reward is free: the upload has not reached it
            other.execute(text("SET lock_timeout = '1s'"))
            other.execute(select(m.rewards.c.code).where(m.rewards.c.code == "ORDERED").with_for_update())
            other.rollback()
        holder.rollback()
    upload.join(30)
    assert done == [200]
