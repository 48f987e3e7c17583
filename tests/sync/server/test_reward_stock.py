"""Reward stock on the server: redemptions with a stock-tracked reward take one each, never below zero; an
oversell (honoured offline, or the last one taken twice) is kept and flagged; every terminal pulls the stock."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from sync import protocol as p
from sync.server import models as m
from sync.server import service as svc
from sync.server.app import run_tx
from sync.server.errors import ApiError
from tests.sync.server.terminal import Terminal

pytestmark = pytest.mark.postgres

NewTerminal = Callable[[httpx.Client], Terminal]


def stock(engine: Engine, code: str) -> int | None:
    return run_tx(engine, lambda c: c.execute(select(m.rewards.c.stock).where(m.rewards.c.code == code)).scalar_one())


def put(engine: Engine, code: str, amount: int | None) -> None:
    run_tx(engine, lambda c: svc.upsert_reward(c, p.RewardInfo(
        code=code, name_th="โคมไฟ", name_en="Lamp", points_cost=10, stock=amount, active=True)))


def test_redemptions_take_stock_and_an_oversell_is_kept_and_flagged(
        client: TestClient, engine: Engine, new_terminal: NewTerminal) -> None:
    put(engine, "LAMP", 2)
    put(engine, "MUG", None)
    a, b = new_terminal(client), new_terminal(client)
    b.pull_all()
    rec = a.member()
    mid = rec["member"]["id"]
    a.upload_ok([rec, a.earn(mid, 250_000)])  # 100 points
    first = [a.redeem(mid, 10, reward_code="LAMP"), a.redeem(mid, 10, reward_code="MUG"),
             a.redeem(mid, 10, reward_code=None)]
    batch = a.upload_ok(first)
    assert stock(engine, "LAMP") == 1 and stock(engine, "MUG") is None  # MUG: stock not tracked
    assert not [f for f in batch["flags"] if f["kind"] == "reward_oversold"]
    # an identical resend (lost answer) takes nothing again
    assert a.upload(first).status_code == 200 and stock(engine, "LAMP") == 1

    # Two more honoured offline (the counter still believed it had some): the last one is an oversell.
    second = a.redeem(mid, 10, reward_code="LAMP")
    third = a.redeem(mid, 10, reward_code="LAMP")
    out = a.upload_ok([second, third])
    assert stock(engine, "LAMP") == 0
    oversold = [f for f in out["flags"] if f["kind"] == "reward_oversold"]
    assert [(f["entry_id"], f["details"]["reward_code"], f["details"]["offline"]) for f in oversold] == \
        [(third["entry"]["id"], "LAMP", True)]
    assert [f.entry_id for f in run_tx(engine, lambda c: svc.list_flags(c, True, "reward_oversold"))] == \
        [third["entry"]["id"]]
    # points are untouched by the stock question: 100 - 5 x 10
    assert run_tx(engine, lambda c: svc.member_state(c, mid)).balance == 50

    # Every counter pulls the chain-wide stock (including the one that made the redemptions).
    for t in (a, b):
        rewards = [c["reward"] for c in t.pull_all() if c["type"] == "reward" and c["reward"]["code"] == "LAMP"]
        assert rewards and rewards[-1]["stock"] == 0

    put(engine, "LAMP", 5)  # restocked by an admin
    assert [c["reward"]["stock"] for c in b.pull_all() if c["type"] == "reward"] == [5]


def test_stock_cannot_be_set_negative(engine: Engine) -> None:
    with pytest.raises(ApiError) as err:
        put(engine, "LAMP2", -1)
    assert err.value.code == "bad_reward"
