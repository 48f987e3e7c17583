"""Reward stock per branch: a redemption takes one from its terminal's branch only; each branch's terminals pull
their own branch's stock; two counters that took the last one offline are both kept and the second is flagged;
a reward's dates reach the counters when they pass; the catalogue's refusals."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, update

from sync import protocol as p
from sync.server import models as m
from sync.server import rewards as rw
from sync.server import service as svc
from sync.server.app import run_tx
from sync.server.errors import ApiError
from tests.sync.server.terminal import Terminal

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


def test_online_the_last_one_of_a_branch_is_promised_once(
        client: TestClient, engine: Engine, new_terminal: NewTerminal) -> None:
    run_tx(engine, lambda c: svc.add_branch(c, "KKC03", "Khon Kaen 3", svc.utcnow()))
    make(engine, "HOLDME")
    run_tx(engine, lambda c: rw.change_stock(c, "HOLDME", "BKK01", 1, "set", svc.utcnow()))
    run_tx(engine, lambda c: rw.change_stock(c, "HOLDME", "KKC03", 1, "set", svc.utcnow()))
    a, b = new_terminal(client), new_terminal(client)
    kkc = Terminal(client)
    assert kkc.enroll(run_tx(engine, lambda c: svc.issue_enrollment_code(c, "KKC03", svc.utcnow(), 1))[0]) \
        .status_code == 200
    rec = a.member()
    mid = rec["member"]["id"]
    a.upload_ok([rec, a.earn(mid, 250_000)])  # 100 points: enough for several
    held = a.reserve(mid, 10, reward_code="HOLDME")
    assert held.status_code == 200, held.text
    rid = held.json()["reservation_id"]
    # the other counter of the branch: the one left is held for the first one's member
    assert _refusal(b.reserve(mid, 10, reward_code="HOLDME")) == \
        (409, "out_of_stock", {"reward_code": "HOLDME", "stock": 1, "held": 1})
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
        (409, "out_of_stock", {"reward_code": "HOLDME", "stock": 0, "held": 0})
    # a reward whose stock is not counted, or one the server does not know, is never refused for stock
    assert a.reserve(mid, 10, reward_code="NO-SUCH-REWARD").status_code == 200


def test_online_a_chain_counted_reward_is_promised_once_across_branches(
        client: TestClient, engine: Engine, new_terminal: NewTerminal) -> None:
    run_tx(engine, lambda c: svc.upsert_reward(c, p.RewardInfo(code="CHAINONE", name_th="ร่ม", name_en="Umbrella",
                                                               points_cost=10, stock=1, active=True)))
    a, b = new_terminal(client), new_terminal(client)
    rec = a.member()
    mid = rec["member"]["id"]
    a.upload_ok([rec, a.earn(mid, 250_000)])
    short = a.reserve(mid, 10, reward_code="CHAINONE", ttl=5)
    assert short.status_code == 200, short.text
    assert _refusal(b.reserve(mid, 10, reward_code="CHAINONE"))[:2] == (409, "out_of_stock")
    # a hold that has timed out stops counting (as its points stop being held)
    run_tx(engine, lambda c: c.execute(update(m.reservations).where(
        m.reservations.c.id == short.json()["reservation_id"]).values(expires_at=svc.utcnow() - timedelta(seconds=1))))
    assert b.reserve(mid, 10, reward_code="CHAINONE").status_code == 200


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
